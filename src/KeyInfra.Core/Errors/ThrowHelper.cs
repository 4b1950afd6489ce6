using System.Diagnostics.CodeAnalysis;
using KeyInfra.Authorization;
using KeyInfra.Keys;

namespace KeyInfra.Errors;

/// <summary>Builds KeyInfra's exceptions, so each message is written once.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void KeyNotFound(KeyId id)
        => throw new UnknownKeyException(ErrorCodes.KeyNotFound, $"No key with id {id} exists in this tenant. Check the id, or list keys to find it.", id);

    [DoesNotReturn]
    public static void KeyRingNotFound(string ringName)
        => throw new UnknownKeyException(ErrorCodes.KeyRingNotFound, $"No key ring named '{ringName}' exists in this tenant. Create a key with RingName = '{ringName}' first.");

    [DoesNotReturn]
    public static void KeyRevoked(KeyId id)
        => throw new KeyStateException(ErrorCodes.KeyRevoked, $"Key {id} is revoked and cannot sign. Use the ring's newest version, or create a new key.", id);

    [DoesNotReturn]
    public static void KeyExpired(KeyId id)
        => throw new KeyStateException(ErrorCodes.KeyExpired, $"Key {id} is expired and cannot sign. Rotate its ring or create a new key.", id);

    [DoesNotReturn]
    public static void NoPrivateKey(KeyId id)
        => throw new KeyStateException(ErrorCodes.NoPrivateKey, $"Key {id} is a public key imported for verification; KeyInfra holds no private key for it, so it cannot sign.", id);

    [DoesNotReturn]
    public static void KeyInUse(KeyId id)
        => throw new KeyInUseException(ErrorCodes.KeyInUse, $"Key {id} has verification records and cannot be deleted, so the log stays explainable. Revoke it instead.", id);

    [DoesNotReturn]
    public static void RingVersionConflict(string ringName)
        => throw new KeyInfraException(ErrorCodes.RingVersionConflict, $"Could not add a new version to ring '{ringName}': other writers kept taking the next version. Retry the operation.");

    [DoesNotReturn]
    public static void StoredFingerprintMismatch(KeyId id)
        => throw new KeyInfraException(ErrorCodes.StoredDataInvalid, $"The stored fingerprint of key {id} does not match its stored public key: the row was changed outside KeyInfra. Nothing was returned; restore the row from a backup or delete the key.");

    [DoesNotReturn]
    public static void NoMasterKeySource()
        => throw new MasterKeyException(ErrorCodes.MasterKeyMissing, "No master key source is configured, so private keys cannot be encrypted. Call UseEnvironmentMasterKey() (or UseVaultMasterKey(), …) when registering KeyInfra.");

    [DoesNotReturn]
    public static void UnknownPrivateKeyBackend(string name, IEnumerable<string> registered)
        => throw new KeyInfraException(ErrorCodes.UnknownPrivateKeyBackend, $"No private-key backend named '{name}' is registered; registered: {string.Join(", ", registered.Select(n => $"'{n}'"))}. Name one of them (CreateKeyRequest.Backend), or register the package that provides '{name}' (such as AddPkcs11()).");

    [DoesNotReturn]
    public static void DuplicatePrivateKeyBackend(string name)
        => throw new KeyInfraException(ErrorCodes.DuplicatePrivateKeyBackend, $"Two private-key backends are registered under the name '{name}'. Register each backend once; backend names must be unique.");

    [DoesNotReturn]
    public static void NoStorageProvider()
        => throw new KeyInfraException(ErrorCodes.NoStorageProvider, "No KeyInfra storage provider is registered. Call UseSqlite(...) or UsePostgreSql(...) after AddKeyInfrastructure().");

    [DoesNotReturn]
    public static void LogClosed()
        => throw new VerificationLogException(ErrorCodes.VerificationLogClosed, "The verification log is shut down (the host is stopping) and records nothing more; the verification was not recorded.");

    [DoesNotReturn]
    public static void LogAuditUnavailable()
        => throw new VerificationLogException(ErrorCodes.VerificationLogAuditUnavailable, "The verification log cannot be checked without the master key: its digests are MACs under a subkey of it. Register the master key source (UseEnvironmentMasterKey, ...) with the master keys that wrote the log, current and previous.");

    [DoesNotReturn]
    public static void SignRequestInvalid(string message, string paramName)
        => throw new ArgumentException($"{ErrorCodes.SignRequestInvalid}: {message}", paramName);

    [DoesNotReturn]
    public static void AccessDenied(KeyInfraOperation operation, KeyId? keyId, string? ringName, string? callerId)
    {
        var what = operation switch
        {
            KeyInfraOperation.CreateKey => "create a key",
            KeyInfraOperation.ImportKey => "import a key",
            KeyInfraOperation.GetKey => $"read key {keyId}",
            KeyInfraOperation.ListKeys => "list keys",
            KeyInfraOperation.RotateKey => "rotate a key ring",
            KeyInfraOperation.RevokeKey => $"revoke key {keyId}",
            KeyInfraOperation.ExpireKey => $"expire key {keyId}",
            KeyInfraOperation.DeleteKey => $"delete key {keyId}",
            KeyInfraOperation.ExportPublicKey => $"export key {keyId}",
            KeyInfraOperation.Sign => $"sign with key {keyId}",
            KeyInfraOperation.Verify => $"verify with key {keyId}",
            KeyInfraOperation.ManageUsers => "manage users, roles and applications",
            KeyInfraOperation.ManageHsm => "manage HSM modules and slots",
            KeyInfraOperation.ManageCertificateAuthorities => "create certificate authorities or publish their CRLs",
            KeyInfraOperation.ReadCertificateAuthorities => "read certificate authorities",
            KeyInfraOperation.IssueCertificate => "issue a certificate for that owner",
            KeyInfraOperation.ReadCertificates => "read or list those certificates",
            KeyInfraOperation.RenewCertificate => "renew that certificate",
            KeyInfraOperation.RevokeCertificate => "revoke that certificate",
            KeyInfraOperation.ExportCertificate => "export that certificate",
            KeyInfraOperation.MaintainCertificates => "run certificate maintenance across tenants",
            _ => keyId is null ? "read the verification log" : $"read the verification log of key {keyId}",
        };
        var ring = ringName is null ? "" : $" in ring '{ringName}'";
        var who = callerId is null ? "A caller with no caller context" : $"Caller {callerId}";
        throw new AccessDeniedException(ErrorCodes.AccessDenied,
            $"{who} may not {what}{ring} ({operation}) in this tenant: the authorizer denied it. Give the caller a role that grants this operation (and, for a key, call as its owner), or call as one that has it.",
            operation, keyId, callerId);
    }

    public static KeyTamperedException KeyTampered(KeyId id, string reason)
        => new(ErrorCodes.KeyRowAuthenticationFailed, $"Key {id} cannot be used: its stored row failed authentication ({reason}). The row was changed outside KeyInfra; restore it from a backup, or revoke and replace the key. See docs/security/rows.md.", id);

    [DoesNotReturn]
    public static void KeyUpdateConflict(KeyId id)
        => throw new KeyInfraException(ErrorCodes.KeyUpdateConflict, $"Key {id} was changed by other writers on every attempt to update it; nothing was changed by this call. Read the key and try again.");
}
