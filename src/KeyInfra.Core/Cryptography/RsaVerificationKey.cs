using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Cryptography;

/// <summary>
/// RSA verification (PKCS#1 v1.5 or PSS with MGF1 over the same hash and a salt as long as the hash) with the
/// platform's RSA. Thread-safe for the same reason as <see cref="EcdsaVerificationKey"/>: each VerifyHash call
/// gets its own OpenSSL context; the shared key object is only read.
/// </summary>
internal sealed class RsaVerificationKey : VerificationKey
{
    private readonly RSA _rsa;
    private readonly int _modulusBytes;

    public RsaVerificationKey(KeySpec spec, RSA rsa)
        : base(spec)
    {
        _rsa = rsa;
        _modulusBytes = spec.KeySizeBits / 8;
    }

    public override VerificationStatus Verify(ReadOnlySpan<byte> input, bool inputIsHash, ReadOnlySpan<byte> signature, SignatureParameters parameters)
    {
        var hashSize = SignatureHash.GetSize(parameters.Hash);
        RSASignaturePadding? padding = parameters.Padding switch
        {
            RsaPadding.Pss => RSASignaturePadding.Pss,
            RsaPadding.Pkcs1 => RSASignaturePadding.Pkcs1,
            _ => null,
        };
        if (hashSize == 0 || padding is null || (inputIsHash && input.Length != hashSize)
            || (parameters.Padding == RsaPadding.Pss && parameters.PssSaltLength is { } saltLength && saltLength != hashSize))
        {
            return VerificationStatus.AlgorithmMismatch;
        }

        if (signature.Length != _modulusBytes)
        {
            return VerificationStatus.MalformedSignature;
        }

        Span<byte> hashBuffer = stackalloc byte[SignatureHash.MaxHashBytes];
        var hash = inputIsHash ? input : hashBuffer[..SignatureHash.Hash(parameters.Hash, input, hashBuffer)];
        try
        {
            return _rsa.VerifyHash(hash, signature, parameters.Hash, padding)
                ? VerificationStatus.Valid
                : VerificationStatus.InvalidSignature;
        }
        catch (CryptographicException)
        {
            // A signature value >= the modulus is reported as an error by some platforms.
            return VerificationStatus.InvalidSignature;
        }
    }

    public override void Dispose() => _rsa.Dispose();
}
