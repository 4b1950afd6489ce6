using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace KeyInfra.PostgreSql.Migrations
{
    /// <inheritdoc />
    internal partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "algorithms",
                columns: table => new
                {
                    id = table.Column<short>(type: "smallint", nullable: false),
                    name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_algorithms", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "batch_verifications",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    caller = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    total_count = table.Column<int>(type: "integer", nullable: false),
                    valid_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_batch_verifications", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "master_keys",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    check_value = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_master_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "curves",
                columns: table => new
                {
                    id = table.Column<short>(type: "smallint", nullable: false),
                    name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    algorithm_id = table.Column<short>(type: "smallint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_curves", x => x.id);
                    table.ForeignKey(
                        name: "fk_curves_algorithm_id",
                        column: x => x.algorithm_id,
                        principalTable: "algorithms",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "public_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    algorithm_id = table.Column<short>(type: "smallint", nullable: false),
                    curve_id = table.Column<short>(type: "smallint", nullable: true),
                    key_size_bits = table.Column<int>(type: "integer", nullable: false),
                    key_data = table.Column<byte[]>(type: "bytea", nullable: false),
                    key_format = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    revocation_reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ring_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ring_version = table.Column<int>(type: "integer", nullable: true),
                    owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    metadata = table.Column<string>(type: "jsonb", maxLength: 524288, nullable: false),
                    default_signature_encoding = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    default_rsa_padding = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_public_keys", x => x.id);
                    table.ForeignKey(
                        name: "fk_public_keys_algorithm_id",
                        column: x => x.algorithm_id,
                        principalTable: "algorithms",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_public_keys_curve_id",
                        column: x => x.curve_id,
                        principalTable: "curves",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "batch_verification_items",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    item_index = table.Column<int>(type: "integer", nullable: false),
                    key_id = table.Column<Guid>(type: "uuid", nullable: true),
                    requested_key_id = table.Column<Guid>(type: "uuid", nullable: false),
                    algorithm = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    result = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    document_sha256 = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: false),
                    signature_sha256 = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: false),
                    verified_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_batch_verification_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_batch_verification_items_batch_id",
                        column: x => x.batch_id,
                        principalTable: "batch_verifications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_batch_verification_items_key_id",
                        column: x => x.key_id,
                        principalTable: "public_keys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "private_keys",
                columns: table => new
                {
                    key_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    protection = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    key_material = table.Column<byte[]>(type: "bytea", nullable: false),
                    master_key_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_private_keys", x => x.key_id);
                    table.ForeignKey(
                        name: "fk_private_keys_key_id",
                        column: x => x.key_id,
                        principalTable: "public_keys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "verification_records",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    verified_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key_id = table.Column<Guid>(type: "uuid", nullable: true),
                    requested_key_id = table.Column<Guid>(type: "uuid", nullable: false),
                    algorithm = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    result = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    document_sha256 = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: false),
                    signature_sha256 = table.Column<byte[]>(type: "bytea", fixedLength: true, maxLength: 32, nullable: false),
                    caller = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_verification_records", x => new { x.id, x.verified_at });
                    table.ForeignKey(
                        name: "fk_verification_records_key_id",
                        column: x => x.key_id,
                        principalTable: "public_keys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "algorithms",
                columns: new[] { "id", "name" },
                values: new object[,]
                {
                    { (short)1, "ecdsa" },
                    { (short)2, "rsa" },
                    { (short)3, "eddsa" }
                });

            migrationBuilder.InsertData(
                table: "curves",
                columns: new[] { "id", "algorithm_id", "name" },
                values: new object[,]
                {
                    { (short)1, (short)1, "p-256" },
                    { (short)2, (short)1, "p-384" },
                    { (short)3, (short)1, "p-521" },
                    { (short)4, (short)1, "secp256k1" },
                    { (short)5, (short)3, "ed25519" }
                });

            migrationBuilder.CreateIndex(
                name: "ux_algorithms_name",
                table: "algorithms",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_batch_verification_items_key_id",
                table: "batch_verification_items",
                column: "key_id");

            migrationBuilder.CreateIndex(
                name: "ux_batch_verification_items_batch_id_item_index",
                table: "batch_verification_items",
                columns: new[] { "batch_id", "item_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_batch_verifications_tenant_id_started_at",
                table: "batch_verifications",
                columns: new[] { "tenant_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_curves_algorithm_id",
                table: "curves",
                column: "algorithm_id");

            migrationBuilder.CreateIndex(
                name: "ux_curves_name",
                table: "curves",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_private_keys_master_key_id",
                table: "private_keys",
                column: "master_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_public_keys_active_tenant_id_id",
                table: "public_keys",
                columns: new[] { "tenant_id", "id" },
                filter: "status = 'active'");

            migrationBuilder.CreateIndex(
                name: "ix_public_keys_algorithm_id",
                table: "public_keys",
                column: "algorithm_id");

            migrationBuilder.CreateIndex(
                name: "ix_public_keys_curve_id",
                table: "public_keys",
                column: "curve_id");

            migrationBuilder.CreateIndex(
                name: "ix_public_keys_tenant_id_id",
                table: "public_keys",
                columns: new[] { "tenant_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_public_keys_tenant_id_status_id",
                table: "public_keys",
                columns: new[] { "tenant_id", "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ux_public_keys_tenant_id_ring_name_ring_version",
                table: "public_keys",
                columns: new[] { "tenant_id", "ring_name", "ring_version" },
                unique: true,
                filter: "ring_name IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_verification_records_key_id",
                table: "verification_records",
                column: "key_id");

            migrationBuilder.CreateIndex(
                name: "ix_verification_records_tenant_id_requested_key_id_verified_at",
                table: "verification_records",
                columns: new[] { "tenant_id", "requested_key_id", "verified_at" });

            migrationBuilder.CreateIndex(
                name: "ix_verification_records_tenant_id_verified_at",
                table: "verification_records",
                columns: new[] { "tenant_id", "verified_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "batch_verification_items");

            migrationBuilder.DropTable(
                name: "master_keys");

            migrationBuilder.DropTable(
                name: "private_keys");

            migrationBuilder.DropTable(
                name: "verification_records");

            migrationBuilder.DropTable(
                name: "batch_verifications");

            migrationBuilder.DropTable(
                name: "public_keys");

            migrationBuilder.DropTable(
                name: "curves");

            migrationBuilder.DropTable(
                name: "algorithms");
        }
    }
}
