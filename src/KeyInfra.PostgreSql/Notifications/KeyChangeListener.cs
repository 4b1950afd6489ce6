using KeyInfra.Keys;
using KeyInfra.PostgreSql.Connection;
using KeyInfra.PostgreSql.Storage;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KeyInfra.PostgreSql.Notifications;

/// <summary>
/// LISTENs on <see cref="Channel"/>, where the database NOTIFYs every change to a key (a trigger on
/// <c>public_keys</c> and <c>private_keys</c>), and drops the changed key from this process's caches, so a key revoked,
/// rotated or deleted by another instance stops verifying here at once.
/// </summary>
/// <remarks>
/// The listener only drops local copies (<see cref="IKeyCacheInvalidator"/>); it never announces what it hears to
/// <see cref="IKeyChangeNotifier"/>s, so a change is not echoed back to other instances.
/// When the connection drops, notifications may have been missed: every cached key is dropped, and the listener
/// reconnects with a growing delay. On every (re)connect it drops everything again once it is listening.
/// </remarks>
internal sealed class KeyChangeListener(IServiceProvider services, ILogger<KeyChangeListener> logger) : BackgroundService
{
    /// <summary>The notification channel; the payload is <c>tenant_id/key_id</c>.</summary>
    public const string Channel = "keyinfra_key_changes";

    private static readonly TimeSpan s_maxReconnectDelay = TimeSpan.FromSeconds(30);

    /// <summary>Completed once the first LISTEN is in place (tests wait for it).</summary>
    public Task Listening => _listening.Task;

    /// <summary>Whether LISTEN is in place now: false before the first connection, while reconnecting, and once stopped.</summary>
    public bool IsListening => Volatile.Read(ref _isListening);

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TimeSpan _reconnectDelay;
    private bool _isListening;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Another storage provider selected after UsePostgreSql; a decorated repository still counts as PostgreSQL.
        if (services.GetService<KeyInfraStorageSelection>()?.Is(PostgreSqlStorage.ProviderName) != true)
        {
            return;
        }

        var dataSource = services.GetRequiredService<PostgreSqlDataSource>();
        var invalidator = services.GetRequiredService<IKeyCacheInvalidator>();
        var options = services.GetRequiredService<PostgreSqlStorage>().Options;
        _reconnectDelay = options.NotificationReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(dataSource, invalidator, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                invalidator.InvalidateAll();
                var delay = _reconnectDelay;
                Log.ListenerDisconnected(logger, (long)delay.TotalMilliseconds, ex);
                try
                {
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                _reconnectDelay = delay * 2 < s_maxReconnectDelay ? delay * 2 : s_maxReconnectDelay;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(PostgreSqlDataSource dataSource, IKeyCacheInvalidator invalidator, CancellationToken stoppingToken)
    {
        var connection = await dataSource.DataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            connection.Notification += (_, e) => OnNotification(e.Payload, invalidator);
            await using (var command = new NpgsqlCommand("LISTEN " + Channel, connection))
            {
                await command.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
            }

            // Changes made before LISTEN took effect were not heard: start from an empty cache.
            invalidator.InvalidateAll();
            _reconnectDelay = services.GetRequiredService<PostgreSqlStorage>().Options.NotificationReconnectDelay;
            Log.Listening(logger, Channel);
            _listening.TrySetResult();
            Volatile.Write(ref _isListening, true);
            try
            {
                while (true)
                {
                    await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            finally
            {
                Volatile.Write(ref _isListening, false);
            }
        }
    }

    private void OnNotification(string payload, IKeyCacheInvalidator invalidator)
    {
        var slash = payload.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && Guid.TryParseExact(payload.AsSpan(0, slash), "D", out var tenantId)
            && Guid.TryParseExact(payload.AsSpan(slash + 1), "D", out var keyId))
        {
            invalidator.Invalidate(tenantId, new KeyId(keyId));
            return;
        }

        // Not ours, or mangled: dropping everything is always safe.
        Log.MalformedNotification(logger);
        invalidator.InvalidateAll();
    }
}
