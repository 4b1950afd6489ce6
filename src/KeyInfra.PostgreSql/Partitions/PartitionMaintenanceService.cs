using KeyInfra.PostgreSql.Storage;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KeyInfra.PostgreSql.Partitions;

/// <summary>
/// Runs <see cref="VerificationPartitionMaintainer"/> at start and every <see cref="PostgreSqlStorageOptions.MaintenanceInterval"/>.
/// A failure is logged and tried again next time: the log writer creates a missing month's partition itself.
/// </summary>
internal sealed class PartitionMaintenanceService(IServiceProvider services, ILogger<PartitionMaintenanceService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Another storage provider selected after UsePostgreSql replaced this one (a decorated repository does not).
        if (services.GetService<KeyInfraStorageSelection>()?.Is(PostgreSqlStorage.ProviderName) != true)
        {
            return;
        }

        var maintainer = services.GetRequiredService<VerificationPartitionMaintainer>();
        var options = services.GetRequiredService<PostgreSqlStorage>().Options;
        var time = services.GetRequiredService<TimeProvider>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await maintainer.CreateAheadAsync(stoppingToken).ConfigureAwait(false);
                if (options.EnableRetention)
                {
                    await maintainer.DropExpiredAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.MaintenanceFailed(logger, options.MaintenanceInterval, ex);
            }

            try
            {
                await Task.Delay(options.MaintenanceInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
