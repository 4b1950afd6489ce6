using KeyInfra.Authorization;
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

    [LoggerMessage(1008, LogLevel.Information, "An import of a public key that tenant {TenantId} already holds returned the existing key {KeyId} (ReturnExisting).")]
    public static partial void KeyImportReturnedExisting(ILogger logger, KeyId keyId, Guid tenantId);

    [LoggerMessage(1051, LogLevel.Warning, "Key change notifier {Notifier} failed to announce {Kind} of key {KeyId} in tenant {TenantId}; the change is committed, and other instances see it when their cached copy expires.")]
    public static partial void KeyChangeNotifierFailed(ILogger logger, string notifier, KeyChangeKind kind, KeyId keyId, Guid tenantId, Exception exception);

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

    [LoggerMessage(1301, LogLevel.Warning, "Access denied: {Operation} by caller {CallerId}, key {KeyId}, ring {RingName}, tenant {TenantId}: {Reason}.")]
    public static partial void AccessDenied(ILogger logger, KeyInfraOperation operation, string callerId, string keyId, string ringName, Guid tenantId, string reason);

    // Encryption at rest and master keys (2000–2099).
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
        Message = "The master key is derived from the master secret with {Derivation}; it is only as strong as that secret, which must be long and random.")]
    public static partial void MasterKeyDerivedFromSecret(ILogger logger, string derivation);

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

    // Master key rotation (2030–2039).
    [LoggerMessage(EventId = 2030, EventName = "MasterKeyRewrapCompleted", Level = LogLevel.Information,
        Message = "Re-wrap under master key {MasterKeyId} done ({StepsRun} of {StepCount} steps run); older keys still used: {StillUsed}.")]
    public static partial void MasterKeyRewrapCompleted(ILogger logger, string masterKeyId, int stepsRun, int stepCount, string stillUsed);

    [LoggerMessage(EventId = 2031, EventName = "MasterKeyRewrapResumed", Level = LogLevel.Information,
        Message = "Re-wrap under master key {MasterKeyId} resumed from its checkpoint: {StepsDone} step(s) already done are skipped.")]
    public static partial void MasterKeyRewrapResumed(ILogger logger, string masterKeyId, int stepsDone);

    [LoggerMessage(EventId = 2032, EventName = "MasterKeyRetired", Level = LogLevel.Warning,
        Message = "Master key {MasterKeyId} was retired: it can never be the current key of this database again, and may be deleted from its source.")]
    public static partial void MasterKeyRetired(ILogger logger, string masterKeyId);

    [LoggerMessage(EventId = 2033, EventName = "LogDigestRewrapRefused", Level = LogLevel.Error,
        Message = "Verification log digest {Sequence} of chain {ChainId} (tenant {TenantId}, checkpoint: {IsCheckpoint}) was not re-wrapped: {Reason}. It stays under master key {MasterKeyId}; 'log verify' reports it.")]
    public static partial void LogDigestRewrapRefused(ILogger logger, long sequence, Guid chainId, Guid tenantId, bool isCheckpoint, string reason, string masterKeyId);

    // Key row authentication (2120–2139).
    [LoggerMessage(EventId = 2120, EventName = "KeyRowRefused", Level = LogLevel.Error,
        Message = "Key {KeyId} in tenant {TenantId} was refused: its stored row is not authenticated ({Reason}). The row was changed outside KeyInfra, or written without the master key; it is not used.")]
    public static partial void KeyRowRefused(ILogger logger, KeyId keyId, Guid tenantId, string reason);

    [LoggerMessage(EventId = 2121, EventName = "KeyRowUnauthenticated", Level = LogLevel.Warning,
        Message = "Key {KeyId} in tenant {TenantId} was read without a MAC: the database is still being migrated. Run 'keys authenticate' to authenticate every row and make the database strict.")]
    public static partial void KeyRowUnauthenticated(ILogger logger, KeyId keyId, Guid tenantId);

    [LoggerMessage(EventId = 2122, EventName = "KeyRowsStrict", Level = LogLevel.Information,
        Message = "Key rows are authenticated (strict), as master key {MasterKeyId}'s check value says: a row without a valid MAC is refused.")]
    public static partial void KeyRowsStrict(ILogger logger, string masterKeyId);

    [LoggerMessage(EventId = 2123, EventName = "KeyRowsMigrating", Level = LogLevel.Warning,
        Message = "This database is being migrated (master key {MasterKeyId}'s check value says so): key rows without a MAC are read, with a warning each. Run 'keys authenticate' to authenticate every row and make it strict.")]
    public static partial void KeyRowsMigrating(ILogger logger, string masterKeyId);

    [LoggerMessage(EventId = 2124, EventName = "KeyRowsMarkedStrict", Level = LogLevel.Information,
        Message = "Every key row is authenticated; the database is now strict (master key {MasterKeyId}'s check value records it).")]
    public static partial void KeyRowsMarkedStrict(ILogger logger, string masterKeyId);

    [LoggerMessage(EventId = 2125, EventName = "KeyRowAuthenticationCompleted", Level = LogLevel.Information,
        Message = "Key row authentication pass: {Examined} rows examined, {Authenticated} authenticated, {Reauthenticated} re-authenticated under master key {MasterKeyId}, {Refused} refused.")]
    public static partial void KeyRowAuthenticationCompleted(ILogger logger, long examined, long authenticated, long reauthenticated, long refused, string masterKeyId);

    [LoggerMessage(EventId = 2126, EventName = "KeyRowAuthenticationUnavailable", Level = LogLevel.Warning,
        Message = "No master key source is registered, so key rows are neither authenticated nor checked: a database writer can change any key. Register a master key source (UseEnvironmentMasterKey, ...).")]
    public static partial void KeyRowAuthenticationUnavailable(ILogger logger);

    // Stored private keys and the master secret (2100–2119).
    [LoggerMessage(EventId = 2100, EventName = "PlaintextPrivateKeyRefused", Level = LogLevel.Error,
        Message = "Key {KeyId} (tenant {TenantId}) has a plaintext private key; refused. Encrypt keys left by a version before encryption at rest with 'reencrypt --unsafe-read-plaintext-private-keys', or restore the row.")]
    public static partial void PlaintextPrivateKeyRefused(ILogger logger, KeyId keyId, Guid tenantId);

    [LoggerMessage(EventId = 2101, EventName = "PrivateKeyPublicKeyMismatch", Level = LogLevel.Error,
        Message = "The private key of key {KeyId} (tenant {TenantId}) does not belong to its stored public key; refused. The row was changed outside KeyInfra.")]
    public static partial void PrivateKeyPublicKeyMismatch(ILogger logger, KeyId keyId, Guid tenantId);

    [LoggerMessage(EventId = 2102, EventName = "PlaintextPrivateKeyReadUnsafely", Level = LogLevel.Warning,
        Message = "Reading the plaintext private key of key {KeyId} (tenant {TenantId}) because UnsafeReadPlaintextPrivateKeys is set; it is trusted as the database holds it.")]
    public static partial void PlaintextPrivateKeyReadUnsafely(ILogger logger, KeyId keyId, Guid tenantId);

    [LoggerMessage(EventId = 2103, EventName = "ReencryptionSkippedKey", Level = LogLevel.Error,
        Message = "Re-encryption skipped key {KeyId} (tenant {TenantId}): {ErrorCode}. It is left as it was; see the run's summary.")]
    public static partial void ReencryptionSkippedKey(ILogger logger, Guid keyId, Guid tenantId, string errorCode, Exception exception);

    [LoggerMessage(EventId = 2104, EventName = "PrivateKeyUpgraded", Level = LogLevel.Information,
        Message = "Private key of key {KeyId} (tenant {TenantId}) upgraded from envelope format v1 to v2 under master key {MasterKeyId}.")]
    public static partial void PrivateKeyUpgraded(ILogger logger, Guid keyId, Guid tenantId, string masterKeyId);

    [LoggerMessage(EventId = 2105, EventName = "MasterSecretSaltCreated", Level = LogLevel.Information,
        Message = "This database had no master secret salt; a random one was stored (Argon2id, {MemoryKib} KiB, {Iterations} passes, parallelism {Parallelism}).")]
    public static partial void MasterSecretSaltCreated(ILogger logger, int memoryKib, int iterations, int parallelism);

    [LoggerMessage(EventId = 2106, EventName = "MasterSecretHkdfDevelopmentOnly", Level = LogLevel.Warning,
        Message = "The master key is derived from the master secret with HKDF-SHA256 (MasterSecretDerivation.HkdfSha256DevelopmentOnly): anyone who has the logs or a ciphertext can test guesses of the secret offline at HMAC speed. Use it for development only; docs/security.md says how to move to Argon2id.")]
    public static partial void MasterSecretHkdfDevelopmentOnly(ILogger logger);

    // ---- Verification log chains (1100–1119) ----

    [LoggerMessage(1100, LogLevel.Information, "Verification log chain head {Head} (chain {ChainId}, tenant {TenantId}, group {Sequence}). Keep a copy outside the database: log verify checks it.")]
    public static partial void LogChainHead(ILogger logger, Guid chainId, Guid tenantId, long sequence, string head);

    [LoggerMessage(1101, LogLevel.Information, "The verification log writer started chain {ChainId}.")]
    public static partial void LogChainStarted(ILogger logger, Guid chainId);

    [LoggerMessage(1102, LogLevel.Warning, "Verification log chain {EndedChainId} ends after a commit that failed (it may or may not have been committed); the writer continues in chain {ChainId}.")]
    public static partial void LogChainRestarted(ILogger logger, Guid endedChainId, Guid chainId);

    [LoggerMessage(1103, LogLevel.Warning, "No master key source is registered, so the verification log is written without its chain of authenticated digests: log verify will report every record as not covered. Register a master key (UseEnvironmentMasterKey, ...) to make the log tamper-evident.")]
    public static partial void LogChainWithoutMasterKey(ILogger logger);

    [LoggerMessage(1104, LogLevel.Warning, "Verification log check of tenant {TenantId} found {Modified} modified, {Deleted} deleted and {Inserted} inserted entries and {Breaks} broken links.")]
    public static partial void LogAuditFoundTampering(ILogger logger, Guid tenantId, int modified, int deleted, int inserted, int breaks);

    [LoggerMessage(1105, LogLevel.Information, "Verification log check of tenant {TenantId}: {Groups} groups in {Chains} chains and {Entries} entries verified, nothing tampered with.")]
    public static partial void LogAuditClean(ILogger logger, Guid tenantId, long groups, int chains, long entries);
}
