using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.Sqlite.Migrations
{
    /// <inheritdoc />
    internal partial class Audit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.CreateTable(
                name: "control_plane_audit",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    occurred_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    actor_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    actor_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    actor_ip = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    target_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    target_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    before = table.Column<string>(type: "TEXT", nullable: true),
                    after = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_control_plane_audit", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_plane_audit",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    occurred_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    actor_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    actor_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    actor_ip = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    decision = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    key_id = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_plane_audit", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_control_plane_audit_tenant_id_occurred_at",
                table: "control_plane_audit",
                columns: new[] { "tenant_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_control_plane_audit_tenant_id_target",
                table: "control_plane_audit",
                columns: new[] { "tenant_id", "target_type", "target_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_data_plane_audit_tenant_id_key_id_occurred_at",
                table: "data_plane_audit",
                columns: new[] { "tenant_id", "key_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_data_plane_audit_tenant_id_occurred_at",
                table: "data_plane_audit",
                columns: new[] { "tenant_id", "occurred_at" });

            migrationBuilder.Sql(SqliteMigrationSql.AuditUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.Sql(SqliteMigrationSql.AuditDown);
            migrationBuilder.DropTable(
                name: "control_plane_audit");

            migrationBuilder.DropTable(
                name: "data_plane_audit");
        }
    }
}
