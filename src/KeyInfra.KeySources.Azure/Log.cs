using Microsoft.Extensions.Logging;

namespace KeyInfra.KeySources.Azure;

/// <summary>
/// KeyInfra.KeySources.Azure's log messages; event ids 5200–5299 (in <c>KeyInfraEventIds.KeySourcesFirst</c>'s range).
/// Vault URIs, secret names, versions, key ids and error codes are logged; tokens, client secrets and keys never.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Loaded the master key from Azure Key Vault secret {Secret}: version {Version} is current (key id {KeyId}), with {PreviousCount} previous key(s).")]
    public static partial void Loaded(ILogger logger, string secret, string version, string keyId, int previousCount);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Azure Key Vault secret {Secret} has a new current version {Version} (key id {KeyId}); the version before stays as a previous key.")]
    public static partial void NewVersion(ILogger logger, string secret, string version, string keyId);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Refreshing the master key from Azure Key Vault secret {Secret} failed ({ErrorCode}); the last key read stays in use. {Reason}")]
    public static partial void RefreshFailed(ILogger logger, string secret, string errorCode, string reason);
}
