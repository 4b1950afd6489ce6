using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.PostgreSql.Migrations
{
    /// <inheritdoc />
    internal partial class HsmSlots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.AddColumn<Guid>(
                name: "hsm_slot_id",
                table: "private_keys",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "hsm_modules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    library_path = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hsm_modules", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "hsm_slots",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    module_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_label = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    token_serial = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    encrypted_pin = table.Column<byte[]>(type: "bytea", maxLength: 4096, nullable: false),
                    master_key_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hsm_slots", x => x.id);
                    table.UniqueConstraint("ak_hsm_slots_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.CheckConstraint("ck_hsm_slots_token", "(token_label IS NULL) <> (token_serial IS NULL)");
                    table.ForeignKey(
                        name: "fk_hsm_slots_module_id",
                        column: x => x.module_id,
                        principalTable: "hsm_modules",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_private_keys_tenant_id_hsm_slot_id",
                table: "private_keys",
                columns: new[] { "tenant_id", "hsm_slot_id" });

            migrationBuilder.CreateIndex(
                name: "ux_hsm_modules_name",
                table: "hsm_modules",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_hsm_slots_master_key_id",
                table: "hsm_slots",
                column: "master_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_hsm_slots_module_id",
                table: "hsm_slots",
                column: "module_id");

            migrationBuilder.CreateIndex(
                name: "ux_hsm_slots_tenant_id_name",
                table: "hsm_slots",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_private_keys_tenant_id_hsm_slot_id",
                table: "private_keys",
                columns: new[] { "tenant_id", "hsm_slot_id" },
                principalTable: "hsm_slots",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.Sql(PostgreSqlMigrationSql.HsmSlotsUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.Sql(PostgreSqlMigrationSql.HsmSlotsDown);

            migrationBuilder.DropForeignKey(
                name: "fk_private_keys_tenant_id_hsm_slot_id",
                table: "private_keys");

            migrationBuilder.DropTable(
                name: "hsm_slots");

            migrationBuilder.DropTable(
                name: "hsm_modules");

            migrationBuilder.DropIndex(
                name: "ix_private_keys_tenant_id_hsm_slot_id",
                table: "private_keys");

            migrationBuilder.DropColumn(
                name: "hsm_slot_id",
                table: "private_keys");
        }
    }
}
