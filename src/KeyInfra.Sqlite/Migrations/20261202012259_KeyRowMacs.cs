using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.Sqlite.Migrations
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
                type: "BLOB",
                fixedLength: true,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "row_mac_master_key_id",
                table: "public_keys",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "row_mac",
                table: "public_keys");

            migrationBuilder.DropColumn(
                name: "row_mac_master_key_id",
                table: "public_keys");
        }
    }
}
