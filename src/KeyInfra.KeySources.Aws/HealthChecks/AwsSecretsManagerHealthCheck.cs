using KeyInfra.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyInfra.KeySources.Aws.HealthChecks;

/// <summary>Healthy after a good read, Degraded while refreshes fail (the last key stays in use), Unhealthy when no key could be read.</summary>
internal sealed class AwsSecretsManagerHealthCheck(AwsSecretsManagerMasterKeySource source) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (source.Status.CurrentVersionId is null)
        {
            try
            {
                using var lease = await source.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MasterKeyException ex)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"No master key could be read from AWS Secrets Manager ({ex.ErrorCode}): {ex.Message}");
            }
        }

        var status = source.Status;
        return status.LastFailureAt is { } failedAt
            ? HealthCheckResult.Degraded($"Refreshing the master key from AWS Secrets Manager fails since {failedAt:O} ({status.LastErrorCode}): {status.LastErrorMessage} Version {status.CurrentVersionId}, read {status.LastSuccessAt:O}, stays in use.")
            : HealthCheckResult.Healthy($"Master key version {status.CurrentVersionId} read from AWS Secrets Manager at {status.LastSuccessAt:O}.");
    }
}
