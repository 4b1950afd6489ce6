using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KeyInfra.PostgreSql.Notifications;

/// <summary>
/// Runs the <see cref="KeyChangeListener"/> when one is registered (the last <c>UsePostgreSql</c> call decides), so
/// calling <c>UsePostgreSql</c> twice never starts two listeners.
/// </summary>
internal sealed class KeyChangeListenerHost(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
        => services.GetService<KeyChangeListener>() is { } listener ? listener.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
        => services.GetService<KeyChangeListener>() is { } listener ? listener.StopAsync(cancellationToken) : Task.CompletedTask;
}
