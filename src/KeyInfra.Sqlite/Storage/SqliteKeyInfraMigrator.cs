using System.Data.Common;
using KeyInfra.EntityFrameworkCore;
using KeyInfra.Errors;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Sqlite.Storage;

/// <summary>
/// The SQLite <see cref="IKeyInfraMigrator"/>. EF Core serializes migrations with a row in <c>__EFMigrationsLock</c>,
/// which stays behind when the process holding it is killed, so every later start would wait for it and fail. Here a
/// migration first takes an operating-system lock on a file beside the database (<c>&lt;database&gt;.migrations.lock</c>,
/// released by the OS when its process dies, however it dies); holding it, any EF lock row is a dead process's and is
/// cleared. When the schema is current nothing more is done: no EF lock, no write.
/// </summary>
/// <remarks>Thread-safe: the lock file serializes migrations of the same file across threads and processes alike.</remarks>
internal sealed class SqliteKeyInfraMigrator(
    IDbContextFactory<KeyInfraDbContext> contextFactory,
    SqliteDatabaseLocation location,
    SqliteStorageOptions options,
    TimeProvider time,
    ILogger<SqliteKeyInfraMigrator> logger) : IKeyInfraMigrator
{
    /// <summary>EF Core's migration lock table on SQLite.</summary>
    internal const string EfLockTable = "__EFMigrationsLock";

    /// <summary>Appended to the database file's path to name the lock file.</summary>
    internal const string LockFileSuffix = ".migrations.lock";

    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The lock file of this database, or <c>null</c> when SQLite resolves the file itself (a <c>file:</c> URI).</summary>
    public string? LockFilePath => location.FilePath is { } file ? file + LockFileSuffix : null;

    public async Task MigrateAsync(string? targetMigration = null, CancellationToken cancellationToken = default)
    {
        var lockFile = await AcquireLockFileAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            if (lockFile is not null)
            {
                await ClearStaleEfLockAsync(context, cancellationToken).ConfigureAwait(false);
            }

            var applied = (await context.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
            var before = applied.LastOrDefault() ?? "0";
            if (targetMigration is null && !context.Database.GetMigrations().Except(applied, StringComparer.Ordinal).Any())
            {
                Log.NothingToMigrate(logger, before);
                return;
            }

            Log.Migrating(logger, before, targetMigration ?? "latest");
            await context.GetService<IMigrator>().MigrateAsync(targetMigration, cancellationToken).ConfigureAwait(false);
            var after = (await context.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).LastOrDefault();
            Log.Migrated(logger, after ?? "0");
        }
        finally
        {
            if (lockFile is not null)
            {
                // The file stays: deleting it would let a process still waiting on the old file and one opening a new
                // file both believe they hold the lock.
                await lockFile.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var applied = (await context.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        var appliedSet = applied.ToHashSet(StringComparer.Ordinal);
        var pending = context.Database.GetMigrations().Where(m => !appliedSet.Contains(m)).ToList();
        return new MigrationStatus(applied, pending);
    }

    private async Task<FileStream?> AcquireLockFileAsync(CancellationToken cancellationToken)
    {
        if (LockFilePath is not { } path)
        {
            return null;
        }

        Directory.CreateDirectory(location.Directory!);
        var deadline = time.GetUtcNow() + options.MigrationLockTimeout;
        var waiting = false;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock: a share-mode lock on Windows, flock(LOCK_EX) on Linux and macOS.
                // Either is released by the operating system when the process ends.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Held by another process (or another migrator in this one).
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new KeyInfraException(
                    ErrorCodes.MigrationLockTimeout,
                    $"Another process has been migrating the KeyInfra schema of {location.FilePath} for longer than {options.MigrationLockTimeout} (it holds {path}). Wait for it to finish and start again, or stop it; raise SqliteStorageOptions.MigrationLockTimeout if migrations take that long.");
            }

            if (!waiting)
            {
                Log.WaitingForMigrationLock(logger, path);
                waiting = true;
            }

            await Task.Delay(s_retryDelay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ClearStaleEfLockAsync(KeyInfraDbContext context, CancellationToken cancellationToken)
    {
        // Every KeyInfra migrator takes the lock file before EF's lock row, so a row seen while holding the file
        // belongs to a process that died between taking the row and releasing it.
        await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = context.Database.GetDbConnection();
            if (await ScalarAsync(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{EfLockTable}'", cancellationToken).ConfigureAwait(false) == 0)
            {
                return;
            }

            if (await NonQueryAsync(connection, $"DELETE FROM \"{EfLockTable}\"", cancellationToken).ConfigureAwait(false) > 0)
            {
                Log.StaleMigrationLockCleared(logger, LockFilePath!);
            }
        }
        finally
        {
            await context.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static async Task<int> NonQueryAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
