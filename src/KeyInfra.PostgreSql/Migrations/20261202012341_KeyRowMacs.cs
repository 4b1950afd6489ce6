using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.PostgreSql.Migrations
{
    /// <inheritdoc />
    internal partial class KeyRowMacs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "row_mac",
                table: "public_keys",
                type: "bytea",
                fixedLength: true,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "row_mac_master_key_id",
                table: "public_keys",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.Sql(PostgreSqlMigrationSql.KeyRowMacsUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PostgreSqlMigrationSql.KeyRowMacsDown);

            migrationBuilder.DropColumn(
                name: "row_mac",
                table: "public_keys");

            migrationBuilder.DropColumn(
                name: "row_mac_master_key_id",
                table: "public_keys");
        }
    }
}
