using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>
/// PostgreSQL's refinements of the shared model: <c>jsonb</c> metadata, the partition column in the primary key of
/// the partitioned <c>verification_records</c>, and a partial index of active keys. Migrations and queries both see them.
/// </summary>
/// <remarks>
/// The shared model's entity classes are internal to KeyInfra.EntityFrameworkCore, so the tables are found by name
/// and their properties named as strings; a rename in the shared model fails the PostgreSQL model tests at once.
/// </remarks>
internal sealed class PostgreSqlModelCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
{
    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);

        var publicKeys = modelBuilder.Entity(Table(modelBuilder, "public_keys").Name);
        publicKeys.Property("Metadata").HasColumnType("jsonb");

        // Most reads want a tenant's active keys (signing, listing, rotation); revoked and expired keys pile up.
        publicKeys.HasIndex(["TenantId", "Id"], "ix_public_keys_active_tenant_id_id").HasFilter("status = 'active'");

        // A partitioned table's primary key must include the partition column (verified_at).
        modelBuilder.Entity(Table(modelBuilder, "verification_records").Name)
            .HasKey("Id", "VerifiedAt")
            .HasName("pk_verification_records");
    }

    private static IMutableEntityType Table(ModelBuilder modelBuilder, string table)
        => modelBuilder.Model.GetEntityTypes().SingleOrDefault(t => t.GetTableName() == table)
            ?? throw new InvalidOperationException($"The KeyInfra model has no table '{table}'; KeyInfra.PostgreSql does not match KeyInfra.EntityFrameworkCore. Install the same version of both.");
}
