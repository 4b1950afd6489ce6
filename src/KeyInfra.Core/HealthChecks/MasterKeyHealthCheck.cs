using KeyInfra.Encryption;
using KeyInfra.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyInfra.HealthChecks;

/// <summary>
/// The configured master keys fit the database (<see cref="MasterKeyValidator"/>): the current key matches its
/// stored check value and every key that wrapped stored data is available.
/// </summary>
/// <remarks>
/// A successful validation is cached by the validator, so a healthy check reads nothing; a failed one is retried
/// on every run, so the check turns healthy once the key source is fixed. Reports error codes and key ids, never key material.
/// </remarks>
internal sealed class MasterKeyHealthCheck(MasterKeyValidator? validator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (validator is null)
        {
            return HealthCheckResult.Healthy("No master key source is registered: keys can be imported and verified, but not created or used to sign.");
        }

        try
        {
            await validator.EnsureValidatedAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The master keys are validated against the database.");
        }
        catch (MasterKeyException e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"The master keys could not be validated against the database: {e.GetType().Name}. Check that storage is reachable and migrated; the application log has the details.");
        }
    }
}
