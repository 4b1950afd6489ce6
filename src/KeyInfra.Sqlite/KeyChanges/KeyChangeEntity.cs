namespace KeyInfra.Sqlite.KeyChanges;

/// <summary>
/// A row of <c>key_changes</c>: the last change to one key, numbered. Written only by the triggers on the key tables
/// (<see cref="Migrations.SqliteMigrationSql.KeyChangeDetectionUp"/>), in the transaction that changed the key; read by
/// <see cref="KeyChangeDetector"/> in other processes. One row per key ever changed, so the table never grows with time.
/// </summary>
internal sealed class KeyChangeEntity
{
    public Guid TenantId { get; set; }

    public Guid KeyId { get; set; }

    /// <summary>Larger than every sequence before it: the change counter.</summary>
    public long Sequence { get; set; }
}
