using KeyInfra.Keys;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Diagnostics;

/// <summary>KeyInfra.Core's log messages. Key ids are logged; key material and documents never are.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Created key {KeyId} ({KeySpec}) in tenant {TenantId}.")]
    public static partial void KeyCreated(ILogger logger, KeyId keyId, string keySpec, Guid tenantId);

    [LoggerMessage(1002, LogLevel.Information, "Imported public key {KeyId} ({KeySpec}) in tenant {TenantId}.")]
    public static partial void KeyImported(ILogger logger, KeyId keyId, string keySpec, Guid tenantId);

    [LoggerMessage(1003, LogLevel.Warning, "Revoked key {KeyId} in tenant {TenantId}: {Reason}.")]
    public static partial void KeyRevoked(ILogger logger, KeyId keyId, Guid tenantId, RevocationReason reason);

    [LoggerMessage(1004, LogLevel.Information, "Expired key {KeyId} in tenant {TenantId}.")]
    public static partial void KeyExpired(ILogger logger, KeyId keyId, Guid tenantId);

    [LoggerMessage(1005, LogLevel.Information, "Deleted key {KeyId} in tenant {TenantId}.")]
    public static partial void KeyDeleted(ILogger logger, KeyId keyId, Guid tenantId);

    [LoggerMessage(1006, LogLevel.Information, "Rotated ring {RingName} to version {Version} (key {KeyId}) in tenant {TenantId}.")]
    public static partial void KeyRotated(ILogger logger, string ringName, int version, KeyId keyId, Guid tenantId);

    [LoggerMessage(1007, LogLevel.Warning, "Key {KeyId} has a plaintext private key left by an older version; run 'reencrypt' to encrypt it at rest.")]
    public static partial void PlaintextPrivateKey(ILogger logger, KeyId keyId);

    [LoggerMessage(1101, LogLevel.Error, "The verification log could not commit {Count} records; their callers were given an error.")]
    public static partial void LogCommitFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(1102, LogLevel.Warning, "The verification log could not commit {Count} buffered records (attempt {Attempt}); retrying.")]
    public static partial void BufferedCommitRetry(ILogger logger, int count, int attempt, Exception exception);

    [LoggerMessage(1103, LogLevel.Critical, "The verification log lost {Count} buffered records after {Attempts} failed commits.")]
    public static partial void BufferedRecordsLost(ILogger logger, int count, int attempts, Exception exception);

    [LoggerMessage(1104, LogLevel.Debug, "The verification log committed {Count} records in one transaction.")]
    public static partial void LogBatchCommitted(ILogger logger, int count);

    [LoggerMessage(1105, LogLevel.Warning, "The verification log runs in {Mode} mode: {Consequence}")]
    public static partial void LogModeWarning(ILogger logger, string mode, string consequence);

    [LoggerMessage(1201, LogLevel.Information, "Applying storage migrations at start.")]
    public static partial void MigratingOnStartup(ILogger logger);

    [LoggerMessage(1202, LogLevel.Warning, "No master key source is registered: keys can be imported and verified, but not created. Call UseEnvironmentMasterKey() or another Use…MasterKey().")]
    public static partial void NoMasterKeySource(ILogger logger);
}
