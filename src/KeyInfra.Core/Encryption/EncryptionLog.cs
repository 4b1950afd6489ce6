using Microsoft.Extensions.Logging;

namespace KeyInfra.Encryption;

/// <summary>
/// Log messages of encryption at rest and master keys (event ids 2000–2099). They carry key ids, tenant and
/// row ids; never key material, master keys, secrets or plaintext.
/// </summary>
internal static partial class EncryptionLog
{
    [LoggerMessage(EventId = 2000, EventName = "MasterKeyValidated", Level = LogLevel.Information,
        Message = "Master key {MasterKeyId} validated: it matches its stored check value and every master key in use ({MasterKeyIdsInUse}) is available.")]
    public static partial void MasterKeyValidated(ILogger logger, string masterKeyId, string masterKeyIdsInUse);

    [LoggerMessage(EventId = 2001, EventName = "MasterKeyCheckAdded", Level = LogLevel.Information,
        Message = "Master key {MasterKeyId} is new to this database; its check value was stored.")]
    public static partial void MasterKeyCheckAdded(ILogger logger, string masterKeyId);

    [LoggerMessage(EventId = 2002, EventName = "MasterKeyValidationFailed", Level = LogLevel.Critical,
        Message = "Master key validation failed ({ErrorCode}); nothing was written. See the exception for what to do.")]
    public static partial void MasterKeyValidationFailed(ILogger logger, string errorCode);

    [LoggerMessage(EventId = 2003, EventName = "MasterKeyDerivedFromSecret", Level = LogLevel.Information,
        Message = "Master key {MasterKeyId} is derived from a master secret with HKDF-SHA256; it is only as strong as that secret, which must be long and random.")]
    public static partial void MasterKeyDerivedFromSecret(ILogger logger, string masterKeyId);

    [LoggerMessage(EventId = 2004, EventName = "EnvironmentMasterKeysLoaded", Level = LogLevel.Debug,
        Message = "Environment master key source: current key {MasterKeyId}, {PreviousKeyCount} previous key(s).")]
    public static partial void EnvironmentMasterKeysLoaded(ILogger logger, string masterKeyId, int previousKeyCount);

    [LoggerMessage(EventId = 2010, EventName = "CiphertextAuthenticationFailed", Level = LogLevel.Warning,
        Message = "Encrypted data in {Table}.{Column}, row {RowId} of tenant {TenantId}, failed authentication: it was tampered with, moved from another row, or wrapped by another key with the id {MasterKeyId}.")]
    public static partial void CiphertextAuthenticationFailed(ILogger logger, string table, string column, Guid rowId, Guid tenantId, string masterKeyId);

    [LoggerMessage(EventId = 2020, EventName = "PrivateKeyEncrypted", Level = LogLevel.Information,
        Message = "Plaintext private key of key {KeyId} (tenant {TenantId}) encrypted under master key {MasterKeyId}.")]
    public static partial void PrivateKeyEncrypted(ILogger logger, Guid keyId, Guid tenantId, string masterKeyId);

    [LoggerMessage(EventId = 2021, EventName = "PrivateKeyRewrapped", Level = LogLevel.Information,
        Message = "Private key of key {KeyId} (tenant {TenantId}) re-wrapped from master key {OldMasterKeyId} to {MasterKeyId}.")]
    public static partial void PrivateKeyRewrapped(ILogger logger, Guid keyId, Guid tenantId, string oldMasterKeyId, string masterKeyId);

    [LoggerMessage(EventId = 2022, EventName = "PrivateKeyVanished", Level = LogLevel.Debug,
        Message = "Key {KeyId} (tenant {TenantId}) was deleted while being re-encrypted; skipped.")]
    public static partial void PrivateKeyVanished(ILogger logger, Guid keyId, Guid tenantId);

    [LoggerMessage(EventId = 2023, EventName = "ReencryptionCompleted", Level = LogLevel.Information,
        Message = "Re-encryption under master key {MasterKeyId} done: {Encrypted} encrypted, {Rewrapped} re-wrapped, {Unchanged} unchanged.")]
    public static partial void ReencryptionCompleted(ILogger logger, string masterKeyId, int encrypted, int rewrapped, int unchanged);
}
