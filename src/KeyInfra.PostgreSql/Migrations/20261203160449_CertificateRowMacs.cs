using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.PostgreSql.Migrations
{
    /// <inheritdoc />
    internal partial class CertificateRowMacs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.AddColumn<byte[]>(
                name: "row_mac",
                table: "revoked_certificates",
                type: "bytea",
                fixedLength: true,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "row_mac_master_key_id",
                table: "revoked_certificates",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "row_mac",
                table: "certificates",
                type: "bytea",
                fixedLength: true,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "row_mac_master_key_id",
                table: "certificates",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_revoked_certificates_row_mac_master_key_id",
                table: "revoked_certificates",
                column: "row_mac_master_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_certificates_row_mac_master_key_id",
                table: "certificates",
                column: "row_mac_master_key_id");

            migrationBuilder.Sql(PostgreSqlMigrationSql.CertificateRowMacsUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.Sql(PostgreSqlMigrationSql.CertificateRowMacsDown);

            migrationBuilder.DropIndex(
                name: "ix_revoked_certificates_row_mac_master_key_id",
                table: "revoked_certificates");

            migrationBuilder.DropIndex(
                name: "ix_certificates_row_mac_master_key_id",
                table: "certificates");

            migrationBuilder.DropColumn(
                name: "row_mac",
                table: "revoked_certificates");

            migrationBuilder.DropColumn(
                name: "row_mac_master_key_id",
                table: "revoked_certificates");

            migrationBuilder.DropColumn(
                name: "row_mac",
                table: "certificates");

            migrationBuilder.DropColumn(
                name: "row_mac_master_key_id",
                table: "certificates");
        }
    }
}
