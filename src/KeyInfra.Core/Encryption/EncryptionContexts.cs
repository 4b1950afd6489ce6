using System.Security.Cryptography;
using System.Text;
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

    /// <summary>The length of a private key's binding: u8 length | spec name | SHA-256 of the SPKI.</summary>
    private const int SpkiHashSize = 32;

    /// <summary>
    /// The context of a key's private key material, bound (format v2) to the key's spec and public key:
    /// binding = u8 len(specName) | specName (ASCII, e.g. <c>ecdsa-p256</c>, <c>rsa-3072</c>) | SHA-256(DER SPKI).
    /// </summary>
    /// <param name="tenantId">The owning tenant.</param>
    /// <param name="keyId">The key.</param>
    /// <param name="spec">The key's spec as stored in its row.</param>
    /// <param name="spki">The key's public key as DER SubjectPublicKeyInfo, as stored in (or canonicalised from) its row.</param>
    public static EncryptionContext ForPrivateKey(Guid tenantId, KeyId keyId, KeySpec spec, ReadOnlySpan<byte> spki)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = Encoding.ASCII.GetBytes(spec.Name);
        var binding = new byte[1 + name.Length + SpkiHashSize];
        binding[0] = (byte)name.Length;
        name.CopyTo(binding, 1);
        SHA256.HashData(spki, binding.AsSpan(1 + name.Length));
        return new EncryptionContext(tenantId, PrivateKeysTable, PrivateKeyMaterialColumn, keyId.Value) { Binding = binding };
    }
}
