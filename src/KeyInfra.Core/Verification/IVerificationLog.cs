namespace KeyInfra.Verification;

/// <summary>
/// The verification log, read side: every verification outcome is recorded by <see cref="IVerifier"/>; hosts read
/// the records back for audit.
/// </summary>
/// <remarks>
/// Read-only on purpose: only the verifier appends, so no code in the host can write a record, in any tenant,
/// that no verification produced. Reads are limited to the current tenant and asked about with
/// <see cref="Authorization.KeyInfraOperation.ReadLog"/>. Writes follow <see cref="VerificationLogOptions.Mode"/>.
/// Thread-safe; registered as a singleton.
/// </remarks>
public interface IVerificationLog
{
    /// <summary>
    /// Waits until every record queued so far is committed and everything committed is sealed into the chain (used at
    /// shutdown, before a log walk, and by tests).
    /// </summary>
    /// <exception cref="Errors.VerificationLogException">
    /// <c>KI3101</c>: the seal could not be made or committed (the writer keeps the entries and tries again), or the
    /// writer stopped on an error.
    /// </exception>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads records, newest first (committed records only).</summary>
    /// <exception cref="Errors.AccessDeniedException">The host's authorizer denied the caller <see cref="Authorization.KeyInfraOperation.ReadLog"/>.</exception>
    Task<VerificationRecordPage> QueryAsync(VerificationLogQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads a batch and its items; <c>null</c> if there is no such batch.</summary>
    /// <exception cref="Errors.AccessDeniedException">The host's authorizer denied the caller <see cref="Authorization.KeyInfraOperation.ReadLog"/>.</exception>
    Task<BatchVerificationRecord?> GetBatchAsync(Guid batchId, CancellationToken cancellationToken = default);
}
