using System.Diagnostics.Metrics;
using System.Globalization;
using KeyInfra.Diagnostics;
using KeyInfra.Keys;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.Sqlite.KeyChanges;

/// <summary>
/// Watches the SQLite file for key changes committed by other processes (another host on the file, the admin CLI) and
/// drops the changed keys from this process's caches, so a key revoked elsewhere stops verifying and signing here
/// within about <see cref="SqliteStorageOptions.KeyChangePollInterval"/>.
/// </summary>
/// <remarks>
/// <para>
/// Triggers number every changed key in <c>key_changes</c>, in the transaction of the change. The detector keeps one
/// connection of its own open and, each interval, reads <c>PRAGMA data_version</c>, which changes when another
/// connection commits anything and costs no I/O. Only when it moved does the detector read the keys numbered above
/// the last number it saw, in one read transaction, and drop just those: the verification log commits all the time,
/// and dropping every key on each commit would defeat the cache.
/// </para>
/// <para>
/// Changes may have been missed whenever the detector was not watching, so it drops every cached key when it starts
/// watching (after its baseline read), when it fails (it then retries with a growing delay), when the counter goes back
/// (the table emptied, or the file restored from an older copy), when more keys changed than it drops one by one, and
/// on a row it cannot parse. It only drops local copies (<see cref="IKeyCacheInvalidator"/>) and never announces what it
/// sees, so nothing echoes. The changes of this process are seen too (other connections of its pool) and dropped again,
/// which is harmless.
/// </para>
/// </remarks>
internal sealed class KeyChangeDetector(IServiceProvider services, IMeterFactory meterFactory, TimeProvider time, ILogger<KeyChangeDetector> logger) : BackgroundService
{
    private readonly KeyChangeMetrics _metrics = new(meterFactory, "sqlite");

    /// <summary>The most changed keys dropped one by one after one look; beyond that, every key is dropped.</summary>
    public const int MaxKeysPerLook = 1000;

    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _watching = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastLookTicks;
    private long _looks;

    /// <summary>Completed once the detector has its baseline and watches (tests wait for it).</summary>
    public Task Watching => _watching.Task;

    /// <summary>How many looks have completed since the start (tests wait for a look that began after a commit).</summary>
    internal long Looks => Interlocked.Read(ref _looks);

    /// <summary>When the detector last looked successfully, or <c>null</c> if it has not yet, or failed since.</summary>
    public DateTimeOffset? LastLookAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastLookTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = services.GetRequiredService<IOptions<SqliteStorageOptions>>().Value;
        var location = services.GetRequiredService<SqliteDatabaseLocation>();
        var invalidator = services.GetRequiredService<IKeyCacheInvalidator>();
        var retryDelay = options.KeyChangePollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WatchAsync(location, options, invalidator, () => retryDelay = options.KeyChangePollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Interlocked.Exchange(ref _lastLookTicks, 0);
                invalidator.InvalidateAll();
                _metrics.Reset("connection_lost");
                Log.KeyChangeDetectorFailed(logger, (long)retryDelay.TotalMilliseconds, ex);
                try
                {
                    await Task.Delay(retryDelay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retryDelay = retryDelay * 2 < s_maxRetryDelay ? retryDelay * 2 : s_maxRetryDelay;
            }
        }
    }

    private async Task WatchAsync(SqliteDatabaseLocation location, SqliteStorageOptions options, IKeyCacheInvalidator invalidator, Action succeeded, CancellationToken stoppingToken)
    {
        // A connection of its own, never returned to the pool: data_version compares commits of other connections
        // with what this one saw.
        // It never creates the file (migrations do).
        var builder = new SqliteConnectionStringBuilder(location.ConnectionString) { Pooling = false };
        builder.Mode = builder.Mode == SqliteOpenMode.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite;
        var connectionString = builder.ToString();
        var connection = new SqliteConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
            var busyTimeoutMs = ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            await ExecuteAsync(connection, $"PRAGMA busy_timeout={busyTimeoutMs};", stoppingToken).ConfigureAwait(false);

            var dataVersion = await DataVersionAsync(connection, stoppingToken).ConfigureAwait(false);
            var last = await ScalarAsync(connection, "SELECT COALESCE(MAX(sequence), 0) FROM key_changes;", stoppingToken).ConfigureAwait(false);

            // Whatever was cached before the baseline may have changed unseen.
            invalidator.InvalidateAll();
            _metrics.Reset("connected");
            Looked();
            Log.KeyChangeDetectorWatching(logger, (long)options.KeyChangePollInterval.TotalMilliseconds);
            _watching.TrySetResult();

            using var timer = new PeriodicTimer(options.KeyChangePollInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var version = await DataVersionAsync(connection, stoppingToken).ConfigureAwait(false);
                if (version != dataVersion)
                {
                    // Read first, then look: a commit after the read moves it again, and the next tick looks again.
                    dataVersion = version;
                    last = await DropChangedAsync(connection, last, invalidator, stoppingToken).ConfigureAwait(false);
                }

                Looked();
                Interlocked.Increment(ref _looks);
                succeeded();
            }
        }
    }

    // Drops the keys numbered above last, and returns the new last number.
    private async Task<long> DropChangedAsync(SqliteConnection connection, long last, IKeyCacheInvalidator invalidator, CancellationToken cancellationToken)
    {
        var changed = new List<(long Sequence, Guid TenantId, KeyId KeyId)>();
        long current;
        var malformed = (long?)null;

        // One read transaction: the rows and the largest number come from the same snapshot.
        var transaction = connection.BeginTransaction(deferred: true);
        await using (transaction.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT sequence, tenant_id, key_id FROM key_changes WHERE sequence > $last ORDER BY sequence LIMIT $limit;";
                command.Parameters.AddWithValue("$last", last);
                command.Parameters.AddWithValue("$limit", MaxKeysPerLook + 1);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var sequence = reader.GetInt64(0);
                        if (reader.GetFieldType(1) == typeof(string) && reader.GetFieldType(2) == typeof(string)
                            && Guid.TryParse(reader.GetString(1), out var tenantId) && Guid.TryParse(reader.GetString(2), out var keyId))
                        {
                            changed.Add((sequence, tenantId, new KeyId(keyId)));
                        }
                        else
                        {
                            malformed ??= sequence;
                        }
                    }
                }
            }

            current = await ScalarAsync(connection, "SELECT COALESCE(MAX(sequence), 0) FROM key_changes;", cancellationToken, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (current < last)
        {
            Log.KeyChangeCounterWentBack(logger, last, current);
            DropAll(invalidator, "counter_reset");
            return current;
        }

        if (malformed is { } sequenceOfMalformed)
        {
            Log.MalformedKeyChange(logger, sequenceOfMalformed);
            DropAll(invalidator, "malformed");
            return current;
        }

        if (changed.Count > MaxKeysPerLook)
        {
            Log.ManyKeysChanged(logger, changed.Count);
            DropAll(invalidator, "overflow");
            return current;
        }

        foreach (var (_, tenantId, keyId) in changed)
        {
            invalidator.Invalidate(tenantId, keyId);
            Log.KeyChangedElsewhere(logger, keyId.Value, tenantId);
        }

        if (changed.Count > 0)
        {
            _metrics.Received(changed.Count);
        }

        return changed.Count > 0 ? changed[^1].Sequence : last;
    }

    private void DropAll(IKeyCacheInvalidator invalidator, string reason)
    {
        invalidator.InvalidateAll();
        _metrics.Reset(reason);
    }

    private void Looked() => Interlocked.Exchange(ref _lastLookTicks, time.GetUtcNow().UtcTicks);

    private static Task<long> DataVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
        => ScalarAsync(connection, "PRAGMA data_version;", cancellationToken);

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
