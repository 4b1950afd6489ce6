using Microsoft.Extensions.Logging;

namespace KeyInfra.Sqlite;

/// <summary>KeyInfra.Sqlite's log messages; event ids 3320–3339 (key change detection). Key ids are logged; connection strings and key material never.</summary>
internal static partial class Log
{
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
