using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.Sqlite.Migrations
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
                type: "BLOB",
                fixedLength: true,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rewrap_master_key_id",
                table: "verification_log_digests",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "rewrap_mac",
                table: "verification_log_checkpoints",
                type: "BLOB",
                fixedLength: true,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rewrap_master_key_id",
                table: "verification_log_checkpoints",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.Sql(SqliteMigrationSql.MasterKeyRotationUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);

            // SQLite's own DROP COLUMN: EF Core's DropColumn rebuilds the table, which would drop the log's triggers.
            migrationBuilder.Sql(SqliteMigrationSql.MasterKeyRotationDown);
        }
    }
}
