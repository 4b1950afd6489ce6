using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.Sqlite.Migrations
{
    /// <inheritdoc />
    internal partial class MasterSecretSalt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "master_secret_salts",
                columns: table => new
                {
                    id = table.Column<short>(type: "INTEGER", nullable: false),
                    algorithm = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    salt = table.Column<byte[]>(type: "BLOB", nullable: false),
                    memory_kib = table.Column<int>(type: "INTEGER", nullable: false),
                    iterations = table.Column<int>(type: "INTEGER", nullable: false),
                    parallelism = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_master_secret_salts", x => x.id);
                    table.CheckConstraint("ck_master_secret_salts_singleton", "id = 1");
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "master_secret_salts");
        }
    }
}
