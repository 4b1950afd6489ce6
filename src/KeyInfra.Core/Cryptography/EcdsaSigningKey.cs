using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;

namespace KeyInfra.Cryptography;

/// <summary>
/// ECDSA signing with the platform's ECDsa (random nonces from the platform's CSPRNG). Thread-safe: each
/// SignHash call gets its own OpenSSL context; the key object is only read.
/// </summary>
internal sealed class EcdsaSigningKey : SigningKey
{
    // A DER signature is at most 2 × (66 + 1 sign byte + 2 header bytes) + 3 sequence header bytes for P-521.
    private const int MaxSignatureBytes = 144;

    private readonly ECDsa _ecdsa;
    private readonly EcCurveInfo _curve;

    public EcdsaSigningKey(KeySpec spec, ECDsa ecdsa)
        : base(spec)
    {
        _ecdsa = ecdsa;
        _curve = EcCurveInfo.For(spec);
    }

    public override byte[] ExportPkcs8() => _ecdsa.ExportPkcs8PrivateKey();

    public override byte[] ExportSpki()
    {
        var parameters = _ecdsa.ExportParameters(includePrivateParameters: false);
        return PublicKeyMaterial.ForEcPoint(_curve, parameters.Q.X!, parameters.Q.Y!).ToSpki();
    }

    public override byte[] Sign(ReadOnlySpan<byte> input, bool inputIsHash, SignatureParameters parameters)
    {
        CheckHashInput(input, inputIsHash, parameters.Hash);
        var format = parameters.Encoding switch
        {
            SignatureEncoding.P1363 => DSASignatureFormat.IeeeP1363FixedFieldConcatenation,
            SignatureEncoding.Der => DSASignatureFormat.Rfc3279DerSequence,
            _ => throw new ArgumentException($"KI3001: {parameters.Encoding} is not an ECDSA signature encoding; use P1363 or Der.", nameof(parameters)),
        };

        Span<byte> hashBuffer = stackalloc byte[SignatureHash.MaxHashBytes];
        var hash = inputIsHash ? input : hashBuffer[..SignatureHash.Hash(parameters.Hash, input, hashBuffer)];
        Span<byte> signature = stackalloc byte[MaxSignatureBytes];
        if (!_ecdsa.TrySignHash(hash, signature, format, out var written))
        {
            throw new CryptographicException("The ECDSA signature did not fit its buffer.");
        }

        return signature[..written].ToArray();
    }

    public override void Dispose() => _ecdsa.Dispose();
}
