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
    /// <summary>Waits until every record queued so far is committed (used at shutdown and by tests).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads records, newest first (committed records only).</summary>
    /// <exception cref="Errors.AccessDeniedException">The host's authorizer denied the caller <see cref="Authorization.KeyInfraOperation.ReadLog"/>.</exception>
    Task<VerificationRecordPage> QueryAsync(VerificationLogQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads a batch and its items; <c>null</c> if there is no such batch.</summary>
    /// <exception cref="Errors.AccessDeniedException">The host's authorizer denied the caller <see cref="Authorization.KeyInfraOperation.ReadLog"/>.</exception>
    Task<BatchVerificationRecord?> GetBatchAsync(Guid batchId, CancellationToken cancellationToken = default);
}
