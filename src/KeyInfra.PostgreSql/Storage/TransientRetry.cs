using System.Net.Sockets;
using KeyInfra.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>
/// Tries a storage operation again when it failed with a transient error (a dropped connection, a server restarting,
/// a deadlock or serialization failure), backing off exponentially. EF Core's own retrying strategy cannot be used:
/// it refuses the explicit transactions the shared repositories open.
/// </summary>
internal sealed class TransientRetry(PostgreSqlStorageOptions options, ILogger logger)
{
    public async Task<T> ExecuteAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt <= options.MaxRetryCount && IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                var delay = Delay(attempt);
                Log.TransientRetry(logger, attempt + 1, options.MaxRetryCount + 1, (long)delay.TotalMilliseconds, ex);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                throw new KeyInfraException(
                    ErrorCodes.StorageUnavailable,
                    $"PostgreSQL could not be reached or failed with a transient error on {attempt} attempt(s) ({ex.GetType().Name}); the operation may not have completed. Check that the database server is up and reachable from this host, then try again.",
                    ex);
            }
        }
    }

    public async Task ExecuteAsync(Func<Task> operation, CancellationToken cancellationToken)
        => await ExecuteAsync(
            async () =>
            {
                await operation().ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

    public static bool IsTransient(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case NpgsqlException npgsql when npgsql.IsTransient:
                case SocketException:
                case TimeoutException:
                    return true;
                case DbUpdateException or InvalidOperationException or NpgsqlException:
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    private TimeSpan Delay(int attempt)
    {
        var delay = TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt - 1));
        return delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay;
    }
}
