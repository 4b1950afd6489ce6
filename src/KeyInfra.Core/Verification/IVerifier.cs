namespace KeyInfra.Verification;

/// <summary>
/// Verifies signatures and records every outcome in the verification log.
/// </summary>
/// <remarks>
/// Never throws for a bad signature, an unknown key or a revoked one: those are results.
/// It throws only for a null request, cancellation, or a log that cannot record
/// (<see cref="Errors.VerificationLogException"/>) in <see cref="LogMode.Durable"/> mode.
/// Thread-safe; registered as a singleton.
/// </remarks>
public interface IVerifier
{
    /// <summary>Verifies one signature and, in <see cref="LogMode.Durable"/> mode, returns once its record is committed.</summary>
    Task<VerificationResult> VerifyAsync(VerificationRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies many signatures in parallel and records them as one batch with its items.
    /// </summary>
    /// <param name="requests">The requests; at most <see cref="VerificationLogOptions.MaxBatchRequests"/>.</param>
    /// <param name="caller">Who asked, recorded on the batch.</param>
    /// <param name="progress">Receives the number of requests verified so far.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing is recorded for a cancelled batch.</param>
    Task<BatchVerificationResult> VerifyBatchAsync(
        IReadOnlyList<VerificationRequest> requests,
        string? caller = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default);
}
