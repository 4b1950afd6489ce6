using Microsoft.Extensions.Logging;

namespace KeyInfra.Sqlite;

/// <summary>KeyInfra.Sqlite's log messages; event ids 3320–3339 (key change detection) and 3360–3379 (migrations, integrity). File paths and key ids are logged; connection strings and key material never.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3360, Level = LogLevel.Information, Message = "Waiting for another process to finish migrating the KeyInfra schema (it holds {LockFile}).")]
    public static partial void WaitingForMigrationLock(ILogger logger, string lockFile);

    [LoggerMessage(EventId = 3361, Level = LogLevel.Warning, Message = "Cleared a migration lock row (__EFMigrationsLock) left by a process that stopped while it migrated the KeyInfra schema; no process holds the migration lock file {LockFile}.")]
    public static partial void StaleMigrationLockCleared(ILogger logger, string lockFile);

    [LoggerMessage(EventId = 3362, Level = LogLevel.Information, Message = "The KeyInfra schema is current at migration {Migration}; nothing to migrate.")]
    public static partial void NothingToMigrate(ILogger logger, string migration);

    [LoggerMessage(EventId = 3363, Level = LogLevel.Information, Message = "Migrating the KeyInfra schema from {FromMigration} to {TargetMigration}.")]
    public static partial void Migrating(ILogger logger, string fromMigration, string targetMigration);

    [LoggerMessage(EventId = 3364, Level = LogLevel.Information, Message = "The KeyInfra schema is at migration {Migration}.")]
    public static partial void Migrated(ILogger logger, string migration);

    [LoggerMessage(EventId = 3365, Level = LogLevel.Critical, Message = "The SQLite database file {DatabaseFile} is corrupt (PRAGMA quick_check found {ProblemCount} problem(s), the first: {FirstProblem}). KeyInfra refuses to use it.")]
    public static partial void QuickCheckFailed(ILogger logger, string databaseFile, int problemCount, string firstProblem);

    [LoggerMessage(EventId = 3320, Level = LogLevel.Information, Message = "Watching the SQLite database for key changes made by other processes every {IntervalMs} ms.")]
    public static partial void KeyChangeDetectorWatching(ILogger logger, long intervalMs);

    [LoggerMessage(EventId = 3321, Level = LogLevel.Warning, Message = "The SQLite key change detector failed; every cached key is dropped and it tries again in {DelayMs} ms. Until it succeeds, keys changed by other processes stay cached here until their time to live ends.")]
    public static partial void KeyChangeDetectorFailed(ILogger logger, long delayMs, Exception exception);

    [LoggerMessage(EventId = 3322, Level = LogLevel.Warning, Message = "The key change counter went back from {Last} to {Current} (the key_changes table was emptied or the database restored from an older copy); every cached key is dropped.")]
    public static partial void KeyChangeCounterWentBack(ILogger logger, long last, long current);

    [LoggerMessage(EventId = 3323, Level = LogLevel.Information, Message = "{Count} keys changed since the last look, more than are dropped one by one; every cached key is dropped.")]
    public static partial void ManyKeysChanged(ILogger logger, int count);

    [LoggerMessage(EventId = 3324, Level = LogLevel.Warning, Message = "Ignored a malformed row of key_changes (sequence {Sequence}); every cached key is dropped.")]
    public static partial void MalformedKeyChange(ILogger logger, long sequence);

    [LoggerMessage(EventId = 3325, Level = LogLevel.Debug, Message = "Key {KeyId} of tenant {TenantId} was changed by another process; dropped from this process's caches.")]
    public static partial void KeyChangedElsewhere(ILogger logger, Guid keyId, Guid tenantId);
}
