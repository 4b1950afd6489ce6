using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.Sqlite.Migrations
{
    /// <inheritdoc />
    internal partial class LogChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "verification_log_checkpoints",
                columns: table => new
                {
                    chain_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    committed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    first_entry_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    master_key_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    entry_count = table.Column<int>(type: "INTEGER", nullable: false),
                    manifest = table.Column<byte[]>(type: "BLOB", nullable: false),
                    previous_digest = table.Column<byte[]>(type: "BLOB", fixedLength: true, maxLength: 32, nullable: false),
                    digest = table.Column<byte[]>(type: "BLOB", fixedLength: true, maxLength: 32, nullable: false),
                    dropped_before = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_verification_log_checkpoints", x => new { x.chain_id, x.tenant_id, x.sequence });
                });

            migrationBuilder.CreateTable(
                name: "verification_log_digests",
                columns: table => new
                {
                    chain_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    committed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    first_entry_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    master_key_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    entry_count = table.Column<int>(type: "INTEGER", nullable: false),
                    manifest = table.Column<byte[]>(type: "BLOB", nullable: false),
                    previous_digest = table.Column<byte[]>(type: "BLOB", fixedLength: true, maxLength: 32, nullable: false),
                    digest = table.Column<byte[]>(type: "BLOB", fixedLength: true, maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_verification_log_digests", x => new { x.chain_id, x.tenant_id, x.sequence });
                });

            migrationBuilder.CreateIndex(
                name: "ix_verification_log_checkpoints_tenant_id",
                table: "verification_log_checkpoints",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_verification_log_digests_tenant_id_committed_at",
                table: "verification_log_digests",
                columns: new[] { "tenant_id", "committed_at" });

            migrationBuilder.Sql(SqliteMigrationSql.LogChainUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqliteMigrationSql.LogChainDown);

            migrationBuilder.DropTable(
                name: "verification_log_checkpoints");

            migrationBuilder.DropTable(
                name: "verification_log_digests");
        }
    }
}
