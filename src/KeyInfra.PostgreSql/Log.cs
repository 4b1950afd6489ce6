using Microsoft.Extensions.Logging;

namespace KeyInfra.PostgreSql;

/// <summary>KeyInfra.PostgreSql's log messages; event ids 3200–3299, and 3320–3339 for key change notifications. Key ids are logged; connection strings and key material never.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "PostgreSQL TLS mode is {SslMode}: the server's identity is not fully verified (or the connection is not encrypted). Use VerifyFull in production.")]
    public static partial void WeakSslMode(ILogger logger, PostgreSqlSslMode sslMode);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "A storage operation failed with a transient error; attempt {Attempt} of {MaxAttempts} in {DelayMs} ms.")]
    public static partial void TransientRetry(ILogger logger, int attempt, int maxAttempts, long delayMs, Exception exception);

    [LoggerMessage(EventId = 3210, Level = LogLevel.Information, Message = "Listening for KeyInfra key changes on channel {Channel}.")]
    public static partial void Listening(ILogger logger, string channel);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Warning, Message = "The key change listener lost its connection; every cached key is dropped and it reconnects in {DelayMs} ms.")]
    public static partial void ListenerDisconnected(ILogger logger, long delayMs, Exception exception);

    [LoggerMessage(EventId = 3212, Level = LogLevel.Warning, Message = "Ignored a malformed key change notification.")]
    public static partial void MalformedNotification(ILogger logger);

    [LoggerMessage(EventId = 3320, Level = LogLevel.Warning, Message = "The key change listener did not hear its own heartbeat within {TimeoutMs} ms, so its connection no longer delivers notifications; every cached key is dropped and it reconnects in {DelayMs} ms.")]
    public static partial void HeartbeatMissed(ILogger logger, long timeoutMs, long delayMs, Exception? sendFailure);

    [LoggerMessage(EventId = 3220, Level = LogLevel.Information, Message = "Created {Count} verification_records partition(s).")]
    public static partial void PartitionsCreated(ILogger logger, int count);

    [LoggerMessage(EventId = 3221, Level = LogLevel.Warning, Message = "Verification log retention dropped partition {Partition} (records older than {RetentionMonths} months).")]
    public static partial void PartitionDropped(ILogger logger, string partition, int retentionMonths);

    [LoggerMessage(EventId = 3222, Level = LogLevel.Error, Message = "Partition maintenance failed; it runs again in {Interval}.")]
    public static partial void MaintenanceFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 3223, Level = LogLevel.Warning, Message = "KeyInfra connects to PostgreSQL as role {Role}, which {Reason}: row-level security does not keep tenants apart, only KeyInfra's own queries do (UnsafeAllowRowLevelSecurityBypass is on). Connect as an application role that is neither (see docs/postgresql.md).")]
    public static partial void ExemptFromRowLevelSecurity(ILogger logger, string role, string reason);

    [LoggerMessage(EventId = 3340, Level = LogLevel.Information, Message = "Migrating the PostgreSQL schema through the migration connection (MigrationConnectionString).")]
    public static partial void MigratingThroughMigrationConnection(ILogger logger);

    [LoggerMessage(EventId = 3230, Level = LogLevel.Warning, Message = "The verification log connection was stale; reconnecting and writing the batch again.")]
    public static partial void LogConnectionReopened(ILogger logger, Exception exception);
}
