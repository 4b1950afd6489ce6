using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyInfra.PostgreSql.Migrations
{
    /// <inheritdoc />
    internal partial class Certificates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.CreateTable(
                name: "certificate_authorities",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    key_id = table.Column<Guid>(type: "uuid", nullable: false),
                    parent_id = table.Column<Guid>(type: "uuid", nullable: true),
                    profile_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    certificate_der = table.Column<byte[]>(type: "bytea", maxLength: 65536, nullable: false),
                    not_after = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    crl_distribution_point = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    crl_number = table.Column<long>(type: "bigint", nullable: false),
                    last_crl_sha256 = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: true),
                    next_crl_due = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    row_mac = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: true),
                    row_mac_master_key_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_certificate_authorities", x => x.id);
                    table.UniqueConstraint("ak_certificate_authorities_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_certificate_authorities_key_id",
                        column: x => x.key_id,
                        principalTable: "public_keys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_certificate_authorities_parent",
                        columns: x => new { x.tenant_id, x.parent_id },
                        principalTable: "certificate_authorities",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    authority_id = table.Column<Guid>(type: "uuid", nullable: false),
                    serial_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    subject = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    subject_alternative_names = table.Column<string>(type: "character varying(26624)", maxLength: 26624, nullable: false),
                    not_before = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    not_after = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    previous_id = table.Column<Guid>(type: "uuid", nullable: true),
                    renewed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    renewed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    renewed_by_id = table.Column<Guid>(type: "uuid", nullable: true),
                    profile_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    key_id = table.Column<Guid>(type: "uuid", nullable: true),
                    der = table.Column<byte[]>(type: "bytea", maxLength: 65536, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_certificates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "certificate_revocation_lists",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    authority_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<long>(type: "bigint", nullable: false),
                    this_update = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    next_update = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    der = table.Column<byte[]>(type: "bytea", maxLength: 16777216, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_certificate_revocation_lists", x => new { x.tenant_id, x.authority_id, x.number });
                    table.ForeignKey(
                        name: "fk_certificate_revocation_lists_authority",
                        columns: x => new { x.tenant_id, x.authority_id },
                        principalTable: "certificate_authorities",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "certificate_serials",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    authority_id = table.Column<Guid>(type: "uuid", nullable: false),
                    serial_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    certificate_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_certificate_serials", x => new { x.tenant_id, x.authority_id, x.serial_number });
                    table.ForeignKey(
                        name: "fk_certificate_serials_authority",
                        columns: x => new { x.tenant_id, x.authority_id },
                        principalTable: "certificate_authorities",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "revoked_certificates",
                columns: table => new
                {
                    certificate_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    authority_id = table.Column<Guid>(type: "uuid", nullable: false),
                    serial_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    revoked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    revoked_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_revoked_certificates", x => x.certificate_id);
                    table.ForeignKey(
                        name: "fk_revoked_certificates_serial",
                        columns: x => new { x.tenant_id, x.authority_id, x.serial_number },
                        principalTable: "certificate_serials",
                        principalColumns: new[] { "tenant_id", "authority_id", "serial_number" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_certificate_authorities_row_mac_master_key_id",
                table: "certificate_authorities",
                column: "row_mac_master_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_certificate_authorities_tenant_id_parent_id",
                table: "certificate_authorities",
                columns: new[] { "tenant_id", "parent_id" });

            migrationBuilder.CreateIndex(
                name: "ux_certificate_authorities_key_id",
                table: "certificate_authorities",
                column: "key_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_certificate_authorities_tenant_id_name",
                table: "certificate_authorities",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_certificate_serials_certificate_id",
                table: "certificate_serials",
                column: "certificate_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_certificates_active_tenant_id_not_after",
                table: "certificates",
                columns: new[] { "tenant_id", "not_after" },
                filter: "status = 'active'");

            migrationBuilder.CreateIndex(
                name: "ix_certificates_active_tenant_id_owner_not_after",
                table: "certificates",
                columns: new[] { "tenant_id", "owner", "not_after" },
                filter: "status = 'active'");

            migrationBuilder.CreateIndex(
                name: "ix_certificates_tenant_id_authority_id_id",
                table: "certificates",
                columns: new[] { "tenant_id", "authority_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_certificates_tenant_id_owner_id",
                table: "certificates",
                columns: new[] { "tenant_id", "owner", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_revoked_certificates_tenant_id_authority_id_revoked_at",
                table: "revoked_certificates",
                columns: new[] { "tenant_id", "authority_id", "revoked_at" });

            migrationBuilder.CreateIndex(
                name: "IX_revoked_certificates_tenant_id_authority_id_serial_number",
                table: "revoked_certificates",
                columns: new[] { "tenant_id", "authority_id", "serial_number" });

            migrationBuilder.Sql(PostgreSqlMigrationSql.CertificatesUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            ArgumentNullException.ThrowIfNull(migrationBuilder);
            migrationBuilder.Sql(PostgreSqlMigrationSql.CertificatesDown);
            migrationBuilder.DropTable(
                name: "certificate_revocation_lists");

            migrationBuilder.DropTable(
                name: "certificates");

            migrationBuilder.DropTable(
                name: "revoked_certificates");

            migrationBuilder.DropTable(
                name: "certificate_serials");

            migrationBuilder.DropTable(
                name: "certificate_authorities");
        }
    }
}
