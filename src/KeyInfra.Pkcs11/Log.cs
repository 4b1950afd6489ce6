using Microsoft.Extensions.Logging;

namespace KeyInfra.Pkcs11;

/// <summary>
/// KeyInfra.Pkcs11's log messages; event ids 4000–4099 (<c>KeyInfraEventIds.Pkcs11First</c>). Slots, modules, token
/// labels, key ids and PKCS#11 return values are logged; PINs, PIN ciphertexts and key material never.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Logged in to the token of {Pool} (PKCS#11 slot id {SlotId}); its session pool is ready.")]
    public static partial void PoolLoggedIn(ILogger logger, string pool, ulong slotId);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "A PKCS#11 call on the token of {Pool} failed with {ReturnValue}; the pool renews its sessions, logs in again and retries once.")]
    public static partial void PoolRenewing(ILogger logger, string pool, string returnValue);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "The token of {Pool} refused the slot's user PIN ({ReturnValue}); KeyInfra does not try it again.")]
    public static partial void PinRefused(ILogger logger, string pool, string returnValue);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Refused to load the PKCS#11 library '{LibraryPath}' of module '{Module}': the host's Pkcs11Options do not allow that path. A stored module row may have been changed outside KeyInfra.")]
    public static partial void ModulePathRefused(ILogger logger, string libraryPath, string module);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Generated a {Spec} key pair for key {KeyId} of tenant {TenantId} in the token of {Pool}.")]
    public static partial void KeyGenerated(ILogger logger, string spec, Guid keyId, Guid tenantId, string pool);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Warning, Message = "Destroyed {Objects} token object(s) made for key {KeyId} of tenant {TenantId} in the token of {Pool}: its row could not be stored.")]
    public static partial void GeneratedKeyDestroyed(ILogger logger, Guid keyId, Guid tenantId, int objects, string pool);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Adopted the {Spec} key pair with label '{Label}' and id {ObjectId} in the token of {Pool} as key {KeyId} of tenant {TenantId}.")]
    public static partial void KeyAdopted(ILogger logger, string spec, string label, string objectId, string pool, Guid keyId, Guid tenantId);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Key {KeyId} of tenant {TenantId}: the token object its row references does not belong to the row's stored public key ({Reason}). The row was changed outside KeyInfra; KeyInfra does not sign with it.")]
    public static partial void TokenKeyMismatch(ILogger logger, Guid keyId, Guid tenantId, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "Key {KeyId} of tenant {TenantId}: its private key object is not in the token of {Pool} any more.")]
    public static partial void KeyObjectMissing(ILogger logger, Guid keyId, Guid tenantId, string pool);

    [LoggerMessage(EventId = 4017, Level = LogLevel.Warning, Message = "Key {KeyId} of tenant {TenantId}: its private key object in the token of {Pool} was found only on a second look (the token's index lagged).")]
    public static partial void KeyObjectFoundOnSecondLook(ILogger logger, Guid keyId, Guid tenantId, string pool);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Error, Message = "The PIN of HSM slot {SlotId} of tenant {TenantId} does not decrypt for that slot and its token: the ciphertext was moved, or the slot pointed at another module or token, outside KeyInfra.")]
    public static partial void PinDecryptionFailed(ILogger logger, Guid slotId, Guid tenantId, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Added PKCS#11 module '{Module}' ({LibraryPath}).")]
    public static partial void ModuleAdded(ILogger logger, string module, string libraryPath);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Removed PKCS#11 module '{Module}'.")]
    public static partial void ModuleRemoved(ILogger logger, string module);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "Added HSM slot '{Slot}' ({SlotId}) of tenant {TenantId}: token {Token} (label or serial) of module '{Module}'.")]
    public static partial void SlotAdded(ILogger logger, string slot, Guid slotId, Guid tenantId, string token, string module);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Information, Message = "Removed HSM slot '{Slot}' ({SlotId}) of tenant {TenantId}.")]
    public static partial void SlotRemoved(ILogger logger, string slot, Guid slotId, Guid tenantId);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Information, Message = "Re-wrapped HSM slot PINs under the current master key: {Rewrapped} re-wrapped, {Current} already current, {Failed} failed.")]
    public static partial void PinsRewrapped(ILogger logger, int rewrapped, int current, int failed);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Warning, Message = "Could not re-wrap the PIN of HSM slot {SlotId} of tenant {TenantId}; it stays under master key {MasterKeyId}.")]
    public static partial void PinRewrapFailed(ILogger logger, Guid slotId, Guid tenantId, string masterKeyId, Exception exception);
}
