using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace KeyInfra.Sqlite.KeyChanges;

/// <summary>
/// SQLite's additions to the shared model: the <c>key_changes</c> table that carries key changes to other processes on
/// the same file (PostgreSQL uses NOTIFY instead). Migrations and queries both see it.
/// </summary>
internal sealed class SqliteModelCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
{
    public const string KeyChangesTable = "key_changes";

    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        modelBuilder.Entity<KeyChangeEntity>(change =>
        {
            change.ToTable(KeyChangesTable);
            change.HasKey(c => new { c.TenantId, c.KeyId }).HasName("pk_key_changes");
            change.Property(c => c.TenantId).HasColumnName("tenant_id");
            change.Property(c => c.KeyId).HasColumnName("key_id");
            change.Property(c => c.Sequence).HasColumnName("sequence").ValueGeneratedNever();
            change.HasIndex(c => c.Sequence).IsUnique().HasDatabaseName("ix_key_changes_sequence");
        });
    }
}
