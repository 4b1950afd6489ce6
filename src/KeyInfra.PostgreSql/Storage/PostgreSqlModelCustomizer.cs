using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>
/// PostgreSQL's refinements of the shared model: <c>jsonb</c> metadata, the partition column in the primary key of
/// the partitioned <c>verification_records</c>, and a partial index of active keys. Migrations and queries both see them.
/// </summary>
internal sealed class PostgreSqlModelCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
{
    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);

        modelBuilder.Entity<PublicKeyEntity>(builder =>
        {
            builder.Property(e => e.Metadata).HasColumnType("jsonb");

            // Most reads want a tenant's active keys (signing, listing, rotation); revoked and expired keys pile up.
            builder.HasIndex([nameof(PublicKeyEntity.TenantId), nameof(PublicKeyEntity.Id)], "ix_public_keys_active_tenant_id_id")
                .HasFilter("status = 'active'");
        });

        // A partitioned table's primary key must include the partition column (verified_at).
        modelBuilder.Entity<VerificationRecordEntity>()
            .HasKey(e => new { e.Id, e.VerifiedAt })
            .HasName("pk_verification_records");
    }
}
