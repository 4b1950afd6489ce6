using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.PostgreSql.Migrations
{
    /// <inheritdoc />
    internal partial class MasterKeyRotation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.AddColumn<byte[]>(
                name: "rewrap_mac",
                table: "verification_log_digests",
                type: "bytea",
                fixedLength: true,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rewrap_master_key_id",
                table: "verification_log_digests",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "rewrap_mac",
                table: "verification_log_checkpoints",
                type: "bytea",
                fixedLength: true,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rewrap_master_key_id",
                table: "verification_log_checkpoints",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.Sql(PostgreSqlMigrationSql.MasterKeyRotationUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.Sql(PostgreSqlMigrationSql.MasterKeyRotationDown);

            migrationBuilder.DropColumn(
                name: "rewrap_mac",
                table: "verification_log_digests");

            migrationBuilder.DropColumn(
                name: "rewrap_master_key_id",
                table: "verification_log_digests");

            migrationBuilder.DropColumn(
                name: "rewrap_mac",
                table: "verification_log_checkpoints");

            migrationBuilder.DropColumn(
                name: "rewrap_master_key_id",
                table: "verification_log_checkpoints");
        }
    }
}
