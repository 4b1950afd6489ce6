using KeyInfra.PostgreSql.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KeyInfra.PostgreSql.Notifications;

/// <summary>
/// Runs the <see cref="KeyChangeListener"/> when <see cref="PostgreSqlStorageOptions.ListenForKeyChanges"/> is on (the
/// options are only known once configuration is bound), and only once however often <c>UsePostgreSql</c> was called.
/// </summary>
internal sealed class KeyChangeListenerHost(IServiceProvider services) : IHostedService
{
    private KeyChangeListener? _started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<PostgreSqlStorage>().Options.ListenForKeyChanges)
        {
            return Task.CompletedTask;
        }

        _started = services.GetRequiredService<KeyChangeListener>();
        return _started.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken)
        => _started is { } listener ? listener.StopAsync(cancellationToken) : Task.CompletedTask;
}
