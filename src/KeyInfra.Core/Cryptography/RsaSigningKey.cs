using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;

namespace KeyInfra.Cryptography;

/// <summary>
/// RSA signing with the platform's RSA: PSS (MGF1 with the same hash, salt as long as the hash) or
/// PKCS#1 v1.5; PSS with another salt length through <see cref="RsaPss"/>. Thread-safe: each SignHash call gets its
/// own OpenSSL context; the key object is only read.
/// </summary>
internal sealed class RsaSigningKey : SigningKey
{
    private readonly RSA _rsa;

    public RsaSigningKey(KeySpec spec, RSA rsa)
        : base(spec)
    {
        _rsa = rsa;
    }

    public override byte[] ExportPkcs8() => _rsa.ExportPkcs8PrivateKey();

    public override byte[] ExportSpki()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return PublicKeyMaterial.ForRsa(parameters.Modulus, parameters.Exponent).ToSpki();
    }

    public override byte[] Sign(ReadOnlySpan<byte> input, bool inputIsHash, SignatureParameters parameters)
    {
        CheckHashInput(input, inputIsHash, parameters.Hash);
        var padding = parameters.Padding switch
        {
            RsaPadding.Pss => RSASignaturePadding.Pss,
            RsaPadding.Pkcs1 => RSASignaturePadding.Pkcs1,
            _ => throw new ArgumentException($"KI3001: {parameters.Padding} is not an RSA padding; use Pss or Pkcs1.", nameof(parameters)),
        };

        Span<byte> hashBuffer = stackalloc byte[SignatureHash.MaxHashBytes];
        var hash = inputIsHash ? input : hashBuffer[..SignatureHash.Hash(parameters.Hash, input, hashBuffer)];
        if (parameters.Padding == RsaPadding.Pss && !RsaPss.IsPlatformSalt(parameters.PssSaltLength, hash.Length))
        {
            var salt = parameters.PssSaltLength!.Value;
            var max = RsaPss.MaxSaltLength(Spec.KeySizeBits, hash.Length);
            if (salt < 0 || salt > max)
            {
                throw new ArgumentException($"KI3001: A PSS salt of {salt} bytes does not fit {Spec.Name} with {parameters.Hash.Name}; use 0 to {max} bytes.", nameof(parameters));
            }

            return RsaPss.Sign(_rsa, hash, parameters.Hash, salt, Spec.KeySizeBits / 8);
        }

        var signature = new byte[Spec.KeySizeBits / 8];
        if (!_rsa.TrySignHash(hash, signature, parameters.Hash, padding, out var written) || written != signature.Length)
        {
            throw new CryptographicException("The RSA signature did not have the modulus length.");
        }

        return signature;
    }

    public override void Dispose() => _rsa.Dispose();
}
