using KeyInfra.Audit;
using KeyInfra.Verification.Chain;

namespace KeyInfra.Verification;

/// <summary>
/// What a caller hands the log writer: a verification record, a batch, an audit record, or a flush marker; and, when
/// the caller waits for the commit (Durable mode, flushes), the completion to signal.
/// </summary>
internal sealed class PendingLogEntry
{
    private PendingLogEntry(object? row, LogChainEntries? chainEntries, bool awaitsCommit)
    {
        Record = row as VerificationRecord;
        Batch = row as BatchVerificationRecord;
        ControlPlane = row as ControlPlaneAuditRecord;
        DataPlane = row as DataPlaneAuditRecord;
        RowCount = row switch
        {
            null => 0,
            BatchVerificationRecord batch => batch.Items.Count + 1,
            _ => 1,
        };
        ChainEntries = chainEntries;
        Completion = awaitsCommit ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
    }

    public VerificationRecord? Record { get; }

    public BatchVerificationRecord? Batch { get; }

    public ControlPlaneAuditRecord? ControlPlane { get; }

    public DataPlaneAuditRecord? DataPlane { get; }

    /// <summary>The entry's manifest entries, made on the caller's thread; <c>null</c> when the log is not chained.</summary>
    public LogChainEntries? ChainEntries { get; }

    /// <summary>Signalled when the entry is committed (or failed); <c>null</c> for Buffered entries.</summary>
    public TaskCompletionSource? Completion { get; }

    /// <summary>Whether the entry is a flush marker: its group is sealed at once.</summary>
    public bool IsFlush => RowCount == 0;

    /// <summary>How many rows the entry writes, counted against the batch size.</summary>
    public int RowCount { get; }

    public static PendingLogEntry ForRecord(VerificationRecord record, bool chained, bool awaitsCommit)
        => new(record, chained ? LogChainEntries.Of(record) : null, awaitsCommit);

    public static PendingLogEntry ForBatch(BatchVerificationRecord batch, bool chained, bool awaitsCommit)
        => new(batch, chained ? LogChainEntries.Of(batch) : null, awaitsCommit);

    public static PendingLogEntry ForAudit(ControlPlaneAuditRecord record, bool chained, bool awaitsCommit)
        => new(record, chained ? LogChainEntries.Of(record) : null, awaitsCommit);

    public static PendingLogEntry ForAudit(DataPlaneAuditRecord record, bool chained, bool awaitsCommit)
        => new(record, chained ? LogChainEntries.Of(record) : null, awaitsCommit);

    public static PendingLogEntry ForFlush() => new(null, null, awaitsCommit: true);
}
