using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.PostgreSql.Migrations
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
                    chain_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    committed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    first_entry_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    master_key_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    entry_count = table.Column<int>(type: "integer", nullable: false),
                    manifest = table.Column<byte[]>(type: "bytea", nullable: false),
                    previous_digest = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: false),
                    digest = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: false),
                    dropped_before = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_verification_log_checkpoints", x => new { x.chain_id, x.tenant_id, x.sequence });
                });

            migrationBuilder.CreateTable(
                name: "verification_log_digests",
                columns: table => new
                {
                    chain_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    committed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    first_entry_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    master_key_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    entry_count = table.Column<int>(type: "integer", nullable: false),
                    manifest = table.Column<byte[]>(type: "bytea", nullable: false),
                    previous_digest = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: false),
                    digest = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: false)
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

            migrationBuilder.Sql(PostgreSqlMigrationSql.LogChainUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PostgreSqlMigrationSql.LogChainDown);

            migrationBuilder.DropTable(
                name: "verification_log_checkpoints");

            migrationBuilder.DropTable(
                name: "verification_log_digests");
        }
    }
}
