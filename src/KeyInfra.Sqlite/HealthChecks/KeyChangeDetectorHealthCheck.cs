using KeyInfra.Sqlite.KeyChanges;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace KeyInfra.Sqlite.HealthChecks;

/// <summary>
/// The <see cref="KeyChangeDetector"/> looked for changes made by other processes recently (within three poll intervals,
/// and at least five seconds). While it does not, keys changed by other processes stay cached here until their time to
/// live ends: degraded, not unhealthy, since verification itself still works.
/// </summary>
internal sealed class KeyChangeDetectorHealthCheck(IOptions<SqliteStorageOptions> options, KeyChangeDetector detector, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (!settings.DetectKeyChanges)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Key change detection is off (SqliteStorageOptions.DetectKeyChanges); keys changed by other processes reach this one when cached keys expire."));
        }

        var allowed = settings.KeyChangePollInterval * 3 > TimeSpan.FromSeconds(5) ? settings.KeyChangePollInterval * 3 : TimeSpan.FromSeconds(5);
        var last = detector.LastLookAt;
        return Task.FromResult(last is { } at && time.GetUtcNow() - at <= allowed
            ? HealthCheckResult.Healthy($"Watching for key changes made by other processes (last look {at:O}).")
            : HealthCheckResult.Degraded(
                "Not watching for key changes made by other processes (starting, or failing): keys changed by other processes stay cached here until their time to live ends. The application log has the cause."));
    }
}
