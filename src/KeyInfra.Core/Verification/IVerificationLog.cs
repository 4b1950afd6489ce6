namespace KeyInfra.Verification;

/// <summary>
/// The verification log: where every verification outcome is recorded, and how to read it back.
/// </summary>
/// <remarks>
/// <see cref="IVerifier"/> writes to it; hosts read it for audit. Writes follow
/// <see cref="VerificationLogOptions.Mode"/>. Thread-safe; registered as a singleton.
/// </remarks>
public interface IVerificationLog
{
    /// <summary>
    /// Records one outcome. In <see cref="LogMode.Durable"/> mode completes when the record is committed;
    /// in <see cref="LogMode.Buffered"/> mode when it is queued; in <see cref="LogMode.Off"/> mode at once.
    /// </summary>
    /// <exception cref="Errors.VerificationLogException">The record could not be committed (Durable mode).</exception>
    ValueTask AppendAsync(VerificationRecord record, CancellationToken cancellationToken = default);

    /// <summary>Records a batch and its items in one transaction, with the same mode semantics.</summary>
    ValueTask AppendBatchAsync(BatchVerificationRecord batch, CancellationToken cancellationToken = default);

    /// <summary>Waits until every record queued so far is committed (used at shutdown and by tests).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads records, newest first (committed records only).</summary>
    Task<VerificationRecordPage> QueryAsync(VerificationLogQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads a batch and its items; <c>null</c> if there is no such batch.</summary>
    Task<BatchVerificationRecord?> GetBatchAsync(Guid batchId, CancellationToken cancellationToken = default);
}
