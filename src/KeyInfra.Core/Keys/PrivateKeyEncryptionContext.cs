using KeyInfra.Encryption;

namespace KeyInfra.Keys;

/// <summary>The encryption context of a stored private key: it binds the ciphertext to its tenant and row.</summary>
internal static class PrivateKeyEncryptionContext
{
    public const string Table = "private_keys";
    public const string Column = "key_material";

    public static EncryptionContext For(Guid tenantId, KeyId keyId) => new(tenantId, Table, Column, keyId.Value);
}
