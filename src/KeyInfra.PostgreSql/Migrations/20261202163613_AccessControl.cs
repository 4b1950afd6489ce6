using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace KeyInfra.PostgreSql.Migrations
{
    /// <inheritdoc />
    internal partial class AccessControl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.CreateTable(
                name: "applications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    hsm_slot_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    row_mac = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: true),
                    row_mac_master_key_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_applications", x => x.id);
                    table.UniqueConstraint("ak_applications_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.CheckConstraint("ck_applications_status", "status IN (1, 2)");
                    table.ForeignKey(
                        name: "fk_applications_tenant_id_hsm_slot_id",
                        columns: x => new { x.tenant_id, x.hsm_slot_id },
                        principalTable: "hsm_slots",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "permissions",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_permissions", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "roles",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    built_in = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_roles", x => new { x.tenant_id, x.name });
                });

            migrationBuilder.CreateTable(
                name: "application_credentials",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    secret_hash = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_used_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    row_mac = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: true),
                    row_mac_master_key_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_application_credentials", x => x.id);
                    table.ForeignKey(
                        name: "fk_application_credentials_tenant_id_application_id",
                        columns: x => new { x.tenant_id, x.application_id },
                        principalTable: "applications",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    username = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    password_hash = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_login_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    row_mac = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: true),
                    row_mac_master_key_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                    table.UniqueConstraint("ak_users_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.CheckConstraint("ck_users_status", "status IN (1, 2, 3)");
                    table.ForeignKey(
                        name: "fk_users_tenant_id_application_id",
                        columns: x => new { x.tenant_id, x.application_id },
                        principalTable: "applications",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "application_roles",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    row_mac = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: true),
                    row_mac_master_key_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_application_roles", x => new { x.tenant_id, x.application_id, x.role });
                    table.ForeignKey(
                        name: "fk_application_roles_tenant_id_application_id",
                        columns: x => new { x.tenant_id, x.application_id },
                        principalTable: "applications",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_application_roles_tenant_id_role",
                        columns: x => new { x.tenant_id, x.role },
                        principalTable: "roles",
                        principalColumns: new[] { "tenant_id", "name" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "role_permissions",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    permission = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    row_mac = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: true),
                    row_mac_master_key_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_role_permissions", x => new { x.tenant_id, x.role, x.permission });
                    table.ForeignKey(
                        name: "fk_role_permissions_permission",
                        column: x => x.permission,
                        principalTable: "permissions",
                        principalColumn: "name",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_role_permissions_tenant_id_role",
                        columns: x => new { x.tenant_id, x.role },
                        principalTable: "roles",
                        principalColumns: new[] { "tenant_id", "name" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_roles",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    row_mac = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: true),
                    row_mac_master_key_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_roles", x => new { x.tenant_id, x.user_id, x.role });
                    table.ForeignKey(
                        name: "fk_user_roles_tenant_id_role",
                        columns: x => new { x.tenant_id, x.role },
                        principalTable: "roles",
                        principalColumns: new[] { "tenant_id", "name" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_user_roles_tenant_id_user_id",
                        columns: x => new { x.tenant_id, x.user_id },
                        principalTable: "users",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "permissions",
                columns: new[] { "name", "description" },
                values: new object[,]
                {
                    { "manage_certificates", "Issue, revoke and read certificates and CRLs." },
                    { "manage_curves", "Enable and disable curves." },
                    { "manage_hsm", "Add and remove PKCS#11 modules and HSM slots." },
                    { "manage_public_keys", "Create, import, read, list, rotate, revoke, expire, delete and export keys." },
                    { "manage_users", "Add, change and remove users, roles, applications and credentials." },
                    { "read_audit", "Read the control-plane and data-plane audit logs." },
                    { "read_log", "Read the verification log." },
                    { "sign", "Sign with a stored private key." },
                    { "verify_signatures", "Verify signatures." }
                });

            migrationBuilder.CreateIndex(
                name: "ix_application_credentials_row_mac_master_key_id",
                table: "application_credentials",
                column: "row_mac_master_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_application_credentials_tenant_id_application_id",
                table: "application_credentials",
                columns: new[] { "tenant_id", "application_id" });

            migrationBuilder.CreateIndex(
                name: "ux_application_credentials_tenant_id_client_id",
                table: "application_credentials",
                columns: new[] { "tenant_id", "client_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_application_roles_row_mac_master_key_id",
                table: "application_roles",
                column: "row_mac_master_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_application_roles_tenant_id_role",
                table: "application_roles",
                columns: new[] { "tenant_id", "role" });

            migrationBuilder.CreateIndex(
                name: "ix_applications_row_mac_master_key_id",
                table: "applications",
                column: "row_mac_master_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_applications_tenant_id_hsm_slot_id",
                table: "applications",
                columns: new[] { "tenant_id", "hsm_slot_id" });

            migrationBuilder.CreateIndex(
                name: "ux_applications_tenant_id_name",
                table: "applications",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_role_permissions_permission",
                table: "role_permissions",
                column: "permission");

            migrationBuilder.CreateIndex(
                name: "ix_role_permissions_row_mac_master_key_id",
                table: "role_permissions",
                column: "row_mac_master_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_roles_row_mac_master_key_id",
                table: "user_roles",
                column: "row_mac_master_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_roles_tenant_id_role",
                table: "user_roles",
                columns: new[] { "tenant_id", "role" });

            migrationBuilder.CreateIndex(
                name: "ix_users_row_mac_master_key_id",
                table: "users",
                column: "row_mac_master_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_users_tenant_id_application_id",
                table: "users",
                columns: new[] { "tenant_id", "application_id" });

            migrationBuilder.CreateIndex(
                name: "ux_users_tenant_id_email",
                table: "users",
                columns: new[] { "tenant_id", "email" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_users_tenant_id_username",
                table: "users",
                columns: new[] { "tenant_id", "username" },
                unique: true);

            migrationBuilder.Sql(PostgreSqlMigrationSql.AccessControlUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.Sql(PostgreSqlMigrationSql.AccessControlDown);

            migrationBuilder.DropTable(
                name: "application_credentials");

            migrationBuilder.DropTable(
                name: "application_roles");

            migrationBuilder.DropTable(
                name: "role_permissions");

            migrationBuilder.DropTable(
                name: "user_roles");

            migrationBuilder.DropTable(
                name: "permissions");

            migrationBuilder.DropTable(
                name: "roles");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "applications");
        }
    }
}
