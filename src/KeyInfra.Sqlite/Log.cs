using Microsoft.Extensions.Logging;

namespace KeyInfra.Sqlite;

/// <summary>KeyInfra.Sqlite's log messages; event ids 3360–3379. File paths are logged; connection strings never.</summary>
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
}
