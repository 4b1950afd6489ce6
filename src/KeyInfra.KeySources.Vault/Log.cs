using Microsoft.Extensions.Logging;

namespace KeyInfra.KeySources.Vault;

/// <summary>
/// KeyInfra.KeySources.Vault's log messages; event ids 5000–5099 (<c>KeyInfraEventIds.KeySourcesFirst</c>). Addresses,
/// paths, versions, key ids and error codes are logged; tokens, secret ids and key material never.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Loaded the master key from Vault {Secret}: version {Version} is current (key id {KeyId}), with {PreviousCount} previous key(s).")]
    public static partial void Loaded(ILogger logger, string secret, int version, string keyId, int previousCount);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Vault {Secret} has a new version {Version} (key id {KeyId}); it is now the current master key, and version {OldVersion} stays as a previous key.")]
    public static partial void NewVersion(ILogger logger, string secret, int version, string keyId, int oldVersion);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Refreshing the master key from Vault {Secret} failed ({ErrorCode}); the last key read stays in use. {Reason}")]
    public static partial void RefreshFailed(ILogger logger, string secret, string errorCode, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Logged in to Vault with AppRole at auth/{Mount}; the token's lease is {LeaseSeconds} s (renewable: {Renewable}).")]
    public static partial void LoggedIn(ILogger logger, string mount, long leaseSeconds, bool renewable);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Renewed the Vault token; its lease is now {LeaseSeconds} s.")]
    public static partial void TokenRenewed(ILogger logger, long leaseSeconds);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Renewing the Vault token failed ({ErrorCode}); the next request logs in again with AppRole. {Reason}")]
    public static partial void TokenRenewalFailed(ILogger logger, string errorCode, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Version {Version} of Vault {Secret} is deleted, destroyed or missing; it is not in the ring. Data wrapped under it cannot be read.")]
    public static partial void PreviousVersionMissing(ILogger logger, string secret, int version);
}
