namespace KeyInfra.Verification;

/// <summary>
/// What a caller hands the log writer: a record, a batch, or a flush marker; and, when the caller waits
/// for the commit (Durable mode, flushes), the completion to signal.
/// </summary>
internal sealed class PendingLogEntry
{
    private PendingLogEntry(VerificationRecord? record, BatchVerificationRecord? batch, bool awaitsCommit)
    {
        Record = record;
        Batch = batch;
        Completion = awaitsCommit ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
    }

    public VerificationRecord? Record { get; }

    public BatchVerificationRecord? Batch { get; }

    /// <summary>Signalled when the entry is committed (or failed); <c>null</c> for Buffered entries.</summary>
    public TaskCompletionSource? Completion { get; }

    /// <summary>How many rows the entry writes, counted against the batch size.</summary>
    public int RowCount => Record is not null ? 1 : Batch is not null ? Batch.Items.Count + 1 : 0;

    public static PendingLogEntry ForRecord(VerificationRecord record, bool awaitsCommit) => new(record, null, awaitsCommit);

    public static PendingLogEntry ForBatch(BatchVerificationRecord batch, bool awaitsCommit) => new(null, batch, awaitsCommit);

    public static PendingLogEntry ForFlush() => new(null, null, awaitsCommit: true);
}
