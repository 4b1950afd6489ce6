using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using KeyInfra.Diagnostics;
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
/// <para>
/// The listener only drops local copies (<see cref="IKeyCacheInvalidator"/>); it never announces what it hears to
/// <see cref="IKeyChangeNotifier"/>s, so a change is not echoed back to other instances.
/// </para>
/// <para>
/// A LISTEN connection that dies without an error (a half-open TCP connection, a stalled network path, a proxy that
/// dropped it) would stop invalidation silently. So the connection has TCP keepalive (KeyInfra's own data source), and
/// every <see cref="PostgreSqlStorageOptions.NotificationHeartbeatInterval"/> the listener NOTIFYs a channel of its own,
/// from another connection, and must hear it on the LISTEN connection within
/// <see cref="PostgreSqlStorageOptions.NotificationHeartbeatTimeout"/>: the heartbeat proves, end to end, that a NOTIFY
/// made elsewhere still reaches this process. A missed heartbeat counts as a lost connection.
/// </para>
/// <para>
/// When the connection is lost, notifications may have been missed: every cached key is dropped, the connection's
/// pool is cleared (a stalled connection must not go back to it), and the listener reconnects with a growing delay.
/// On every (re)connect it drops everything again once it is listening.
/// </para>
/// </remarks>
internal sealed class KeyChangeListener(IServiceProvider services, ILogger<KeyChangeListener> logger) : BackgroundService
{
    /// <summary>The notification channel; the payload is <c>tenant_id/key_id</c>.</summary>
    public const string Channel = "keyinfra_key_changes";

    /// <summary>The prefix of each listener's own heartbeat channel; the rest is random, so no one else hears it.</summary>
    public const string HeartbeatChannelPrefix = "keyinfra_heartbeat_";

    private static readonly TimeSpan s_maxReconnectDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_minConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Completed once the first LISTEN is in place (tests wait for it).</summary>
    public Task Listening => _listening.Task;

    /// <summary>Whether LISTEN is in place now: false before the first connection, while reconnecting, and once stopped.</summary>
    public bool IsListening => Volatile.Read(ref _isListening);

    /// <summary>How many times LISTEN has been put in place since the start (tests wait for a reconnect).</summary>
    internal int Connections => Volatile.Read(ref _connections);

    /// <summary>How many heartbeats have been heard since the start.</summary>
    internal long HeartbeatsHeard => Interlocked.Read(ref _heard);

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _heartbeatChannel = HeartbeatChannelPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    private TimeSpan _reconnectDelay;
    private bool _isListening;
    private int _connections;
    private long _heard;
    private long _lastHeardNumber;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Another storage provider selected after UsePostgreSql; a decorated repository still counts as PostgreSQL.
        if (services.GetService<KeyInfraStorageSelection>()?.Is(PostgreSqlStorage.ProviderName) != true)
        {
            return;
        }

        var dataSource = services.GetRequiredService<PostgreSqlDataSource>();
        var invalidator = services.GetRequiredService<IKeyCacheInvalidator>();
        var metrics = new KeyChangeMetrics(services.GetRequiredService<IMeterFactory>(), "postgresql");
        var time = services.GetRequiredService<TimeProvider>();
        var options = services.GetRequiredService<PostgreSqlStorage>().Options;
        _reconnectDelay = options.NotificationReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(dataSource, invalidator, metrics, time, options, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                invalidator.InvalidateAll();
                var delay = _reconnectDelay;
                if (ex is HeartbeatMissedException missed)
                {
                    metrics.Reset("heartbeat_missed");
                    Log.HeartbeatMissed(logger, (long)options.NotificationHeartbeatTimeout.TotalMilliseconds, (long)delay.TotalMilliseconds, missed.InnerException);
                }
                else
                {
                    metrics.Reset("connection_lost");
                    Log.ListenerDisconnected(logger, (long)delay.TotalMilliseconds, ex);
                }

                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
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

    private async Task ListenAsync(
        PostgreSqlDataSource dataSource, IKeyCacheInvalidator invalidator, KeyChangeMetrics metrics, TimeProvider time, PostgreSqlStorageOptions options, CancellationToken stoppingToken)
    {
        // Connecting and LISTEN get a bounded time too: a connection taken from a pool on a silent network hangs there.
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        connectTimeout.CancelAfter(options.NotificationHeartbeatTimeout > s_minConnectTimeout ? options.NotificationHeartbeatTimeout : s_minConnectTimeout);
        var connection = await dataSource.DataSource.OpenConnectionAsync(connectTimeout.Token).ConfigureAwait(false);
        try
        {
            connection.Notification += (_, e) => OnNotification(e.Channel, e.Payload, invalidator, metrics);
            await using (var command = new NpgsqlCommand($"LISTEN {Channel}; LISTEN {_heartbeatChannel}", connection))
            {
                await command.ExecuteNonQueryAsync(connectTimeout.Token).ConfigureAwait(false);
            }

            // Changes made before LISTEN took effect were not heard: start from an empty cache.
            invalidator.InvalidateAll();
            metrics.Reset("connected");
            _reconnectDelay = options.NotificationReconnectDelay;
            Log.Listening(logger, Channel);
            Interlocked.Increment(ref _connections);
            Volatile.Write(ref _isListening, true);
            _listening.TrySetResult();
            await WaitWithHeartbeatsAsync(dataSource, connection, time, options, stoppingToken).ConfigureAwait(false);
        }
        catch when (!stoppingToken.IsCancellationRequested)
        {
            // The connection may be stalled rather than broken, and so may the pool's others on the same path: none
            // may go back to the pool, where the next user would hang on it. Clearing closes the idle ones now and the
            // others as they come back.
            dataSource.DataSource.Clear();
            throw;
        }
        finally
        {
            Volatile.Write(ref _isListening, false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Waits for notifications; every heartbeat interval, NOTIFYs the private channel from another connection and
    // throws if it is not heard within the timeout.
    private async Task WaitWithHeartbeatsAsync(PostgreSqlDataSource dataSource, NpgsqlConnection connection, TimeProvider time, PostgreSqlStorageOptions options, CancellationToken stoppingToken)
    {
        var nextHeartbeatAt = time.GetUtcNow() + options.NotificationHeartbeatInterval;
        DateTimeOffset? deadline = null;
        long expected = 0;
        Task<Exception?>? sending = null;
        while (true)
        {
            var now = time.GetUtcNow();
            if (deadline is not null && Interlocked.Read(ref _lastHeardNumber) >= expected)
            {
                deadline = null;
                nextHeartbeatAt = now + options.NotificationHeartbeatInterval;
            }

            if (deadline is { } due && now >= due)
            {
                throw new HeartbeatMissedException(sending is { IsCompleted: true } ? await sending.ConfigureAwait(false) : null);
            }

            if (deadline is null && now >= nextHeartbeatAt)
            {
                expected = Interlocked.Read(ref _lastHeardNumber) + 1;
                sending = SendHeartbeatAsync(dataSource, expected, options.NotificationHeartbeatTimeout, stoppingToken);
                deadline = now + options.NotificationHeartbeatTimeout;
            }

            var wait = (deadline ?? nextHeartbeatAt) - now;
            var milliseconds = (int)Math.Clamp(Math.Ceiling(wait.TotalMilliseconds), 1, int.MaxValue);
            await connection.WaitAsync(milliseconds, stoppingToken).ConfigureAwait(false);
        }
    }

    // NOTIFYs the private channel from a pooled connection. Failures are returned, not thrown: a heartbeat that was not
    // sent is a heartbeat not heard, and the listener reconnects either way.
    private async Task<Exception?> SendHeartbeatAsync(PostgreSqlDataSource dataSource, long number, TimeSpan timeout, CancellationToken stoppingToken)
    {
        try
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeoutSource.CancelAfter(timeout);
            var connection = await dataSource.DataSource.OpenConnectionAsync(timeoutSource.Token).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = _heartbeatChannel });
                command.Parameters.Add(new NpgsqlParameter { Value = number.ToString(CultureInfo.InvariantCulture) });
                await command.ExecuteNonQueryAsync(timeoutSource.Token).ConfigureAwait(false);
            }

            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private void OnNotification(string channel, string payload, IKeyCacheInvalidator invalidator, KeyChangeMetrics metrics)
    {
        if (string.Equals(channel, _heartbeatChannel, StringComparison.Ordinal))
        {
            if (long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                Interlocked.Exchange(ref _lastHeardNumber, Math.Max(number, Interlocked.Read(ref _lastHeardNumber)));
                Interlocked.Increment(ref _heard);
            }

            return;
        }

        var slash = payload.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && Guid.TryParseExact(payload.AsSpan(0, slash), "D", out var tenantId)
            && Guid.TryParseExact(payload.AsSpan(slash + 1), "D", out var keyId))
        {
            invalidator.Invalidate(tenantId, new KeyId(keyId));
            metrics.Received();
            return;
        }

        // Not ours, or mangled: dropping everything is always safe.
        Log.MalformedNotification(logger);
        invalidator.InvalidateAll();
        metrics.Reset("malformed");
    }

    /// <summary>The listener did not hear its own heartbeat in time: the connection no longer delivers notifications.</summary>
    private sealed class HeartbeatMissedException(Exception? sendFailure) : Exception("The key change listener did not hear its heartbeat in time.", sendFailure);
}
