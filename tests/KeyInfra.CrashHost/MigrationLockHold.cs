using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyInfra.CrashHost;

/// <summary>
/// Stops the process for good once EF Core's migrator has taken its SQLite migration lock (the insert into
/// <c>__EFMigrationsLock</c> succeeded), after saying so on <paramref name="output"/>: the moment a kill leaves the lock row behind.
/// </summary>
internal sealed class MigrationLockHold(TextWriter output) : DbCommandInterceptor
{
    // EF Core takes the lock with "INSERT OR IGNORE INTO __EFMigrationsLock …; SELECT changes();", run as a scalar.
    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        if (TakesTheLock(command, result))
        {
            Hold();
        }

        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        if (TakesTheLock(command, result))
        {
            Hold();
        }

        return ValueTask.FromResult(result);
    }

    private static bool TakesTheLock(DbCommand command, object? result)
        => result is long and 1 && command.CommandText.Contains("INSERT", StringComparison.OrdinalIgnoreCase) && command.CommandText.Contains("__EFMigrationsLock", StringComparison.Ordinal);

    private void Hold()
    {
        lock (output)
        {
            output.WriteLine("migration-lock-held");
            output.Flush();
        }

        Thread.Sleep(Timeout.Infinite);
    }
}
