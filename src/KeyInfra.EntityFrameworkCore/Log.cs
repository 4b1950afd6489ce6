using Microsoft.Extensions.Logging;

namespace KeyInfra.EntityFrameworkCore;

/// <summary>KeyInfra.EntityFrameworkCore's log messages; event ids 4100–4199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Migrating the KeyInfra schema from {FromMigration} to {TargetMigration}.")]
    public static partial void Migrating(ILogger logger, string fromMigration, string targetMigration);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "The KeyInfra schema is at migration {Migration}.")]
    public static partial void Migrated(ILogger logger, string migration);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "A KeyInfra storage command failed after {ElapsedMs} ms: {CommandText}")]
    public static partial void CommandFailed(ILogger logger, double elapsedMs, string commandText, Exception exception);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "A KeyInfra storage command failed after {ElapsedMs} ms, as it may when another writer was first; the caller handles it: {CommandText}")]
    public static partial void CommandFailedAsExpected(ILogger logger, double elapsedMs, string commandText, Exception exception);
}
