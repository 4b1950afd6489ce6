using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.Sqlite.Migrations
{
    /// <inheritdoc />
    internal partial class EngineSeams : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "caller_id",
                table: "verification_records",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "detail",
                table: "verification_records",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "default_pss_salt_length",
                table: "public_keys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "jwk_thumbprint",
                table: "public_keys",
                type: "TEXT",
                maxLength: 43,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "spki_sha256",
                table: "public_keys",
                type: "BLOB",
                fixedLength: true,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "version",
                table: "public_keys",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1L);

            migrationBuilder.AddColumn<string>(
                name: "backend",
                table: "private_keys",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "software");

            migrationBuilder.AddColumn<string>(
                name: "caller_id",
                table: "batch_verifications",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "detail",
                table: "batch_verification_items",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_public_keys_tenant_id_jwk_thumbprint",
                table: "public_keys",
                columns: new[] { "tenant_id", "jwk_thumbprint" });

            migrationBuilder.CreateIndex(
                name: "ix_public_keys_tenant_id_spki_sha256",
                table: "public_keys",
                columns: new[] { "tenant_id", "spki_sha256" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_public_keys_tenant_id_jwk_thumbprint",
                table: "public_keys");

            migrationBuilder.DropIndex(
                name: "ix_public_keys_tenant_id_spki_sha256",
                table: "public_keys");

            migrationBuilder.DropColumn(
                name: "caller_id",
                table: "verification_records");

            migrationBuilder.DropColumn(
                name: "detail",
                table: "verification_records");

            migrationBuilder.DropColumn(
                name: "default_pss_salt_length",
                table: "public_keys");

            migrationBuilder.DropColumn(
                name: "jwk_thumbprint",
                table: "public_keys");

            migrationBuilder.DropColumn(
                name: "spki_sha256",
                table: "public_keys");

            migrationBuilder.DropColumn(
                name: "version",
                table: "public_keys");

            migrationBuilder.DropColumn(
                name: "backend",
                table: "private_keys");

            migrationBuilder.DropColumn(
                name: "caller_id",
                table: "batch_verifications");

            migrationBuilder.DropColumn(
                name: "detail",
                table: "batch_verification_items");
        }
    }
}
