using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KeyInfra.Sqlite.KeyChanges;

/// <summary>
/// Runs the <see cref="KeyChangeDetector"/> while SQLite is the selected storage and
/// <see cref="SqliteStorageOptions.DetectKeyChanges"/> is on (the options are only known once configuration is bound),
/// and only once however often <c>UseSqlite</c> was called.
/// </summary>
internal sealed class KeyChangeDetectorHost(IServiceProvider services) : IHostedService
{
    private KeyChangeDetector? _started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<KeyInfraStorageSelection>()?.Is(SqliteStorage.ProviderName) != true
            || !services.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.DetectKeyChanges)
        {
            return Task.CompletedTask;
        }

        _started = services.GetRequiredService<KeyChangeDetector>();
        return _started.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken)
        => _started is { } detector ? detector.StopAsync(cancellationToken) : Task.CompletedTask;
}
