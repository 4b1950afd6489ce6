using KeyInfra.Keys;
using KeyInfra.Signing;
using NSec.Cryptography;

namespace KeyInfra.Cryptography;

/// <summary>
/// Ed25519 signing with NSec (libsodium): deterministic (RFC 8032), the key held in libsodium's secure
/// memory, which is zeroed when the key is disposed. Thread-safe: libsodium's sign is a pure function and
/// NSec keys are immutable.
/// </summary>
internal sealed class Ed25519SigningKey : SigningKey
{
    // KeyInfra encrypts the PKCS#8 export at rest itself, so the private key must be exportable.
    internal static KeyCreationParameters CreationParameters => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };

    private readonly Key _key;

    public Ed25519SigningKey(Key key)
        : base(KeySpec.Ed25519)
    {
        _key = key;
    }

    public override byte[] ExportPkcs8() => _key.Export(KeyBlobFormat.PkixPrivateKey);

    public override byte[] ExportSpki() =>
        PublicKeyMaterial.ForEd25519(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToSpki();

    public override byte[] Sign(ReadOnlySpan<byte> input, bool inputIsHash, SignatureParameters parameters)
    {
        if (inputIsHash)
        {
            throw new ArgumentException("KI3001: Ed25519 signs the message itself, not a hash (pure EdDSA, RFC 8032). Pass the data.", nameof(inputIsHash));
        }

        return SignatureAlgorithm.Ed25519.Sign(_key, input);
    }

    public override void Dispose() => _key.Dispose();
}
