using Microsoft.Extensions.Logging;

namespace KeyInfra.KeySources.Aws;

/// <summary>
/// KeyInfra.KeySources.Aws's log messages; event ids 5100–5199 (in <c>KeyInfraEventIds.KeySourcesFirst</c>'s range).
/// Secret ids, regions, version ids, key ids and error codes are logged; credentials and key material never.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Loaded the master key from AWS Secrets Manager secret {Secret}: version {VersionId} is current (key id {KeyId}), with {PreviousCount} previous key(s).")]
    public static partial void Loaded(ILogger logger, string secret, string versionId, string keyId, int previousCount);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "AWS Secrets Manager secret {Secret} has a new current version {VersionId} (key id {KeyId}); the version before stays as a previous key.")]
    public static partial void NewVersion(ILogger logger, string secret, string versionId, string keyId);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Refreshing the master key from AWS Secrets Manager secret {Secret} failed ({ErrorCode}); the last key read stays in use. {Reason}")]
    public static partial void RefreshFailed(ILogger logger, string secret, string errorCode, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "AWS Secrets Manager secret {Secret} has no version in stage {Stage}; no previous key from it.")]
    public static partial void NoPreviousVersion(ILogger logger, string secret, string stage);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "Decrypted the master key with AWS KMS key {KmsKeyId} for deployment '{Deployment}' (key id {KeyId}), with {PreviousCount} previous key(s).")]
    public static partial void KmsLoaded(ILogger logger, string kmsKeyId, string deployment, string keyId, int previousCount);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Warning, Message = "AWS KMS key {KmsKeyId} no longer decrypts the master key ({ErrorCode}); the key already decrypted stays in use until the process stops. {Reason}")]
    public static partial void KmsCheckFailed(ILogger logger, string kmsKeyId, string errorCode, string reason);
}
