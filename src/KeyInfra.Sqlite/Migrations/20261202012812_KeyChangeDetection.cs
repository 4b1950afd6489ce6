using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.Sqlite.Migrations
{
    /// <inheritdoc />
    internal partial class KeyChangeDetection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "key_changes",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    key_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_key_changes", x => new { x.tenant_id, x.key_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_key_changes_sequence",
                table: "key_changes",
                column: "sequence",
                unique: true);

            migrationBuilder.Sql(SqliteMigrationSql.KeyChangeDetectionUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqliteMigrationSql.KeyChangeDetectionDown);

            migrationBuilder.DropTable(
                name: "key_changes");
        }
    }
}
