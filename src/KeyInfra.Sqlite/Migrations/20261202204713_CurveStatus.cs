using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.Sqlite.Migrations
{
    /// <inheritdoc />
    internal partial class CurveStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.AddColumn<byte[]>(
                name: "row_mac",
                table: "curves",
                type: "BLOB",
                fixedLength: true,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "row_mac_master_key_id",
                table: "curves",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "status",
                table: "curves",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "enabled");

            migrationBuilder.AddColumn<long>(
                name: "version",
                table: "curves",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "curves",
                keyColumn: "id",
                keyValue: (short)1,
                columns: new[] { "row_mac", "row_mac_master_key_id", "status" },
                values: new object[] { null, null, "enabled" });

            migrationBuilder.UpdateData(
                table: "curves",
                keyColumn: "id",
                keyValue: (short)2,
                columns: new[] { "row_mac", "row_mac_master_key_id", "status" },
                values: new object[] { null, null, "enabled" });

            migrationBuilder.UpdateData(
                table: "curves",
                keyColumn: "id",
                keyValue: (short)3,
                columns: new[] { "row_mac", "row_mac_master_key_id", "status" },
                values: new object[] { null, null, "enabled" });

            migrationBuilder.UpdateData(
                table: "curves",
                keyColumn: "id",
                keyValue: (short)4,
                columns: new[] { "row_mac", "row_mac_master_key_id", "status" },
                values: new object[] { null, null, "enabled" });

            migrationBuilder.UpdateData(
                table: "curves",
                keyColumn: "id",
                keyValue: (short)5,
                columns: new[] { "row_mac", "row_mac_master_key_id", "status" },
                values: new object[] { null, null, "enabled" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.DropColumn(
                name: "row_mac",
                table: "curves");

            migrationBuilder.DropColumn(
                name: "row_mac_master_key_id",
                table: "curves");

            migrationBuilder.DropColumn(
                name: "status",
                table: "curves");

            migrationBuilder.DropColumn(
                name: "version",
                table: "curves");
        }
    }
}
