namespace KeyInfra.Verification.Chain;

/// <summary>
/// The manifest entries of one record or one batch (the batch's and each item's), made when the entry is handed to the
/// log, on the caller's thread: the writer, which every group commit waits for, then only joins them and computes
/// one HMAC per tenant.
/// </summary>
/// <remarks>Immutable once made; <see cref="Manifest"/> is the entries' own and must not be changed.</remarks>
internal sealed class LogChainEntries
{
    private LogChainEntries(Guid tenantId, DateTimeOffset first, DateTimeOffset latest, int count, byte[] manifest)
    {
        TenantId = tenantId;
        First = first;
        Latest = latest;
        Count = count;
        Manifest = manifest;
    }

    /// <summary>The tenant whose chain the entries join.</summary>
    public Guid TenantId { get; }

    /// <summary>The earliest time among the entries (a record's verification, a batch's start).</summary>
    public DateTimeOffset First { get; }

    /// <summary>The latest time among them: the group cannot be committed before it.</summary>
    public DateTimeOffset Latest { get; }

    /// <summary>How many manifest entries (a record: 1; a batch: 1 + its items).</summary>
    public int Count { get; }

    /// <summary>The entries, <see cref="LogChainFormat.ManifestEntrySize"/> bytes each, in commit order.</summary>
    public byte[] Manifest { get; }

    public static LogChainEntries Of(VerificationRecord record)
    {
        var manifest = new LogChainFormat.ManifestBuilder(1);
        LogChainFormat.AppendRecord(manifest, record);
        return new LogChainEntries(record.TenantId, record.VerifiedAt, record.VerifiedAt, manifest.Count, manifest.ToArray());
    }

    public static LogChainEntries Of(BatchVerificationRecord batch)
    {
        var manifest = new LogChainFormat.ManifestBuilder(1 + batch.Items.Count);
        LogChainFormat.AppendBatch(manifest, batch);
        var latest = batch.CompletedAt > batch.StartedAt ? batch.CompletedAt : batch.StartedAt;
        foreach (var item in batch.Items)
        {
            latest = item.VerifiedAt > latest ? item.VerifiedAt : latest;
        }

        return new LogChainEntries(batch.TenantId, batch.StartedAt, latest, manifest.Count, manifest.ToArray());
    }

    public static LogChainEntries Of(Audit.ControlPlaneAuditRecord record)
    {
        var manifest = new LogChainFormat.ManifestBuilder(1);
        LogChainFormat.AppendAudit(manifest, record);
        return new LogChainEntries(record.TenantId, record.OccurredAt, record.OccurredAt, manifest.Count, manifest.ToArray());
    }

    public static LogChainEntries Of(Audit.DataPlaneAuditRecord record)
    {
        var manifest = new LogChainFormat.ManifestBuilder(1);
        LogChainFormat.AppendAudit(manifest, record);
        return new LogChainEntries(record.TenantId, record.OccurredAt, record.OccurredAt, manifest.Count, manifest.ToArray());
    }
}
