using KeyInfra.Encryption;
using KeyInfra.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyInfra.HealthChecks;

/// <summary>
/// The health of a <see cref="RefreshingMasterKeySource"/>: Healthy after a good read, Degraded while refreshes fail
/// (the last keys read stay in use), the registration's failure status when no key could be read (it tries once).
/// Source packages register it under their own name.
/// </summary>
/// <param name="source">The source.</param>
/// <param name="sourceName">How messages name the source, for example "Vault".</param>
public sealed class MasterKeySourceHealthCheck(RefreshingMasterKeySource source, string sourceName) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (source.Status.CurrentKeyId is null)
        {
            try
            {
                // Not loaded yet (or the first load failed): try now, as the first operation would.
                using var lease = await source.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MasterKeyException ex)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"No master key could be read from {sourceName} ({ex.ErrorCode}): {ex.Message}");
            }
        }

        var status = source.Status;
        var data = new Dictionary<string, object> { ["keyId"] = status.CurrentKeyId ?? string.Empty };
        return status.LastFailureAt is { } failedAt
            ? HealthCheckResult.Degraded($"Refreshing the master key from {sourceName} fails since {failedAt:O} ({status.LastErrorCode}): {status.LastErrorMessage} Key {status.CurrentKeyId}, read {status.LastSuccessAt:O}, stays in use.", data: data)
            : HealthCheckResult.Healthy($"Master key {status.CurrentKeyId} read from {sourceName} at {status.LastSuccessAt:O}.", data);
    }
}
