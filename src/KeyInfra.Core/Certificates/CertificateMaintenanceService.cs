using KeyInfra.Authorization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.Certificates;

/// <summary>
/// Runs <see cref="ICertificateMaintenance"/> in the host, as a system caller: the due CRLs every
/// <see cref="CertificateOptions.CrlSchedule"/>, and, when <see cref="CertificateOptions.RetentionEnabled"/>, the
/// retention of expired certificates once a day. A failing pass is logged and tried again at the next turn. The first
/// pass runs 5 minutes after start (or sooner, with a shorter schedule): CRLs fall due days before they go stale
/// (<see cref="CertificateOptions.CrlRefreshMargin"/>), and a host's start is not held up by them.
/// </summary>
internal sealed class CertificateMaintenanceService(
    IServiceProvider services,
    AsyncLocalCallerContext callers,
    IOptions<KeyInfraOptions> options,
    TimeProvider time,
    ILogger<CertificateMaintenanceService> logger) : BackgroundService
{
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromDays(1);
    private static readonly TimeSpan FirstPassDelay = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var certificateOptions = options.Value.Certificates;
        // A host whose storage keeps no certificates has nothing to maintain.
        if ((certificateOptions.CrlSchedule <= TimeSpan.Zero && !certificateOptions.RetentionEnabled)
            || services.GetService(typeof(Storage.ICertificateRepository)) is null)
        {
            return;
        }

        var maintenance = (ICertificateMaintenance)services.GetService(typeof(ICertificateMaintenance))!;
        var interval = certificateOptions.CrlSchedule > TimeSpan.Zero ? certificateOptions.CrlSchedule : RetentionInterval;
        var nextRetention = time.GetUtcNow();
        await Task.Delay(interval < FirstPassDelay ? interval : FirstPassDelay, time, stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            using var caller = callers.Use(Caller.ForSystem("certificate-maintenance"));
            try
            {
                if (certificateOptions.CrlSchedule > TimeSpan.Zero)
                {
                    await maintenance.PublishDueCrlsAsync(stoppingToken).ConfigureAwait(false);
                }

                if (certificateOptions.RetentionEnabled && time.GetUtcNow() >= nextRetention)
                {
                    await maintenance.RemoveExpiredAsync(stoppingToken).ConfigureAwait(false);
                    nextRetention = time.GetUtcNow() + RetentionInterval;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Diagnostics.Log.CertificateMaintenanceFailed(logger, interval, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
