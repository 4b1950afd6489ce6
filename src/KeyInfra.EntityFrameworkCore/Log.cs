using Microsoft.Extensions.Logging;

namespace KeyInfra.EntityFrameworkCore;

/// <summary>KeyInfra.EntityFrameworkCore's log messages; event ids 4100–4199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Migrating the KeyInfra schema from {FromMigration} to {TargetMigration}.")]
    public static partial void Migrating(ILogger logger, string fromMigration, string targetMigration);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "The KeyInfra schema is at migration {Migration}.")]
    public static partial void Migrated(ILogger logger, string migration);
}
