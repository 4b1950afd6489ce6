using KeyInfra.Verification.Chain;

namespace KeyInfra.Verification;

/// <summary>
/// What a caller hands the log writer: a record, a batch, or a flush marker; and, when the caller waits
/// for the commit (Durable mode, flushes), the completion to signal.
/// </summary>
internal sealed class PendingLogEntry
{
    private PendingLogEntry(VerificationRecord? record, BatchVerificationRecord? batch, LogChainEntries? chainEntries, bool awaitsCommit)
    {
        Record = record;
        Batch = batch;
        ChainEntries = chainEntries;
        Completion = awaitsCommit ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
    }

    public VerificationRecord? Record { get; }

    public BatchVerificationRecord? Batch { get; }

    /// <summary>The entry's manifest entries, made on the caller's thread; <c>null</c> when the log is not chained.</summary>
    public LogChainEntries? ChainEntries { get; }

    /// <summary>Signalled when the entry is committed (or failed); <c>null</c> for Buffered entries.</summary>
    public TaskCompletionSource? Completion { get; }

    /// <summary>How many rows the entry writes, counted against the batch size.</summary>
    public int RowCount => Record is not null ? 1 : Batch is not null ? Batch.Items.Count + 1 : 0;

    public static PendingLogEntry ForRecord(VerificationRecord record, bool chained, bool awaitsCommit)
        => new(record, null, chained ? LogChainEntries.Of(record) : null, awaitsCommit);

    public static PendingLogEntry ForBatch(BatchVerificationRecord batch, bool chained, bool awaitsCommit)
        => new(null, batch, chained ? LogChainEntries.Of(batch) : null, awaitsCommit);

    public static PendingLogEntry ForFlush() => new(null, null, null, awaitsCommit: true);
}
