using KeyInfra.PostgreSql.Notifications;
using KeyInfra.PostgreSql.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyInfra.PostgreSql.HealthChecks;

/// <summary>
/// The <see cref="KeyChangeListener"/> is LISTENing. While it is not, keys changed by other instances stay cached
/// here until their time to live ends: degraded, not unhealthy, since verification itself still works.
/// </summary>
internal sealed class KeyChangeListenerHealthCheck(PostgreSqlStorage storage, KeyChangeListener listener) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(
            !storage.Options.ListenForKeyChanges
                ? HealthCheckResult.Healthy("Listening for key changes is off (PostgreSqlStorageOptions.ListenForKeyChanges); changes made by other instances reach this one when cached keys expire.")
                : listener.IsListening
                    ? HealthCheckResult.Healthy($"Listening for key changes on '{KeyChangeListener.Channel}'.")
                    : HealthCheckResult.Degraded($"Not listening for key changes on '{KeyChangeListener.Channel}' (starting, or reconnecting after a lost connection): keys changed by other instances stay cached here until their time to live ends. The application log has the cause."));
}
