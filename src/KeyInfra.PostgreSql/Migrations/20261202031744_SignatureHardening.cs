using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.PostgreSql.Migrations
{
    /// <inheritdoc />
    internal partial class SignatureHardening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_private_keys_key_id",
                table: "private_keys");

            migrationBuilder.DropIndex(
                name: "ix_public_keys_tenant_id_id",
                table: "public_keys");

            migrationBuilder.AddColumn<bool>(
                name: "require_low_s",
                table: "public_keys",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddUniqueConstraint(
                name: "ak_public_keys_tenant_id_id",
                table: "public_keys",
                columns: new[] { "tenant_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ux_private_keys_tenant_id_key_id",
                table: "private_keys",
                columns: new[] { "tenant_id", "key_id" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_private_keys_tenant_id_key_id",
                table: "private_keys",
                columns: new[] { "tenant_id", "key_id" },
                principalTable: "public_keys",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.Sql(PostgreSqlMigrationSql.SignatureHardeningUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PostgreSqlMigrationSql.SignatureHardeningDown);

            migrationBuilder.DropForeignKey(
                name: "fk_private_keys_tenant_id_key_id",
                table: "private_keys");

            migrationBuilder.DropUniqueConstraint(
                name: "ak_public_keys_tenant_id_id",
                table: "public_keys");

            migrationBuilder.DropIndex(
                name: "ux_private_keys_tenant_id_key_id",
                table: "private_keys");

            migrationBuilder.DropColumn(
                name: "require_low_s",
                table: "public_keys");

            migrationBuilder.CreateIndex(
                name: "ix_public_keys_tenant_id_id",
                table: "public_keys",
                columns: new[] { "tenant_id", "id" });

            migrationBuilder.AddForeignKey(
                name: "fk_private_keys_key_id",
                table: "private_keys",
                column: "key_id",
                principalTable: "public_keys",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
