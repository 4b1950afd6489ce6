using KeyInfra.Keys;

namespace KeyInfra.Encryption;

/// <summary>
/// The encryption contexts of the secrets KeyInfra stores. Writers and readers must build the context the
/// same way, or nothing decrypts; so it is built here, once.
/// </summary>
internal static class EncryptionContexts
{
    /// <summary>The table of private keys, as bound into their ciphertexts.</summary>
    public const string PrivateKeysTable = "private_keys";

    /// <summary>The column of encrypted private key material, as bound into its ciphertexts.</summary>
    public const string PrivateKeyMaterialColumn = "key_material";

    /// <summary>The context of a key's private key material.</summary>
    public static EncryptionContext ForPrivateKey(Guid tenantId, KeyId keyId)
        => new(tenantId, PrivateKeysTable, PrivateKeyMaterialColumn, keyId.Value);
}
