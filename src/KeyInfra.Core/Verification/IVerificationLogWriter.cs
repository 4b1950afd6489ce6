namespace KeyInfra.Verification;

/// <summary>
/// Appends to the verification log: the engine's side of <see cref="IVerificationLog"/>, kept internal so only the
/// verifier records outcomes (no other code can write a record into any tenant). The same singleton as the log.
/// </summary>
internal interface IVerificationLogWriter
{
    /// <summary>
    /// Records one outcome. In <see cref="LogMode.Durable"/> mode completes when the record is committed;
    /// in <see cref="LogMode.Buffered"/> mode when it is queued; in <see cref="LogMode.Off"/> mode at once.
    /// </summary>
    /// <exception cref="Errors.VerificationLogException">The record could not be committed (Durable mode).</exception>
    ValueTask AppendAsync(VerificationRecord record, CancellationToken cancellationToken = default);

    /// <summary>Records a batch and its items in one transaction, with the same mode semantics.</summary>
    ValueTask AppendBatchAsync(BatchVerificationRecord batch, CancellationToken cancellationToken = default);
}
