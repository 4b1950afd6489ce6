using KeyInfra.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyInfra.KeySources.Vault.HealthChecks;

/// <summary>
/// Healthy when the master key was read from Vault and the last refresh succeeded; Degraded when the last refresh
/// failed (the last key read stays in use), naming the error code and since when; Unhealthy when no key could be read.
/// </summary>
internal sealed class VaultMasterKeyHealthCheck(VaultMasterKeySource source) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (source.Status.CurrentVersion == 0)
        {
            try
            {
                // Not loaded yet (or the first load failed): try now, as the first operation would.
                using var lease = await source.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MasterKeyException ex)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"No master key could be read from Vault ({ex.ErrorCode}): {ex.Message}");
            }
        }

        var status = source.Status;
        var data = new Dictionary<string, object> { ["version"] = status.CurrentVersion, ["keyId"] = status.CurrentKeyId ?? string.Empty };
        if (status.LastFailureAt is { } failedAt)
        {
            return HealthCheckResult.Degraded(
                $"Refreshing the master key from Vault fails since {failedAt:O} ({status.LastErrorCode}): {status.LastErrorMessage} Version {status.CurrentVersion}, read {status.LastSuccessAt:O}, stays in use.",
                data: data);
        }

        return HealthCheckResult.Healthy($"Master key version {status.CurrentVersion} read from Vault at {status.LastSuccessAt:O}.", data);
    }
}
