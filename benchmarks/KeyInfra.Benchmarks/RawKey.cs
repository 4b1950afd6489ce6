using System.Security.Cryptography;
using KeyInfra.Keys;
using NSec.Cryptography;

namespace KeyInfra.Benchmarks;

/// <summary>
/// The floor every pipeline benchmark is measured against: the platform's own key object (OpenSSL through
/// <see cref="ECDsa"/>/<see cref="RSA"/>, libsodium through NSec for Ed25519), imported once and kept, and its
/// own verify call on the message. No KeyInfra code runs in <see cref="Verify"/>.
/// </summary>
public sealed class RawKey : IDisposable
{
    private readonly KeySpec _spec;
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;
    private readonly PublicKey? _ed25519;

    /// <summary>Imports the SubjectPublicKeyInfo of <paramref name="key"/> into a platform key object.</summary>
    public RawKey(KeyInfo key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _spec = key.Spec;
        switch (key.Spec.Algorithm)
        {
            case KeyAlgorithm.Ecdsa:
                _ecdsa = ECDsa.Create();
                _ecdsa.ImportSubjectPublicKeyInfo(key.PublicKeySpki.Span, out _);
                break;
            case KeyAlgorithm.Rsa:
                _rsa = RSA.Create();
                _rsa.ImportSubjectPublicKeyInfo(key.PublicKeySpki.Span, out _);
                break;
            default:
                _ed25519 = PublicKey.Import(SignatureAlgorithm.Ed25519, key.PublicKeySpki.Span, KeyBlobFormat.PkixPublicKey);
                break;
        }
    }

    /// <summary>Verifies a signature made with KeyInfra's defaults (P1363 for ECDSA, PSS for RSA, the spec's hash).</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (_ecdsa is not null)
        {
            return _ecdsa.VerifyData(message, signature, _spec.DefaultHashAlgorithm, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        if (_rsa is not null)
        {
            return _rsa.VerifyData(message, signature, _spec.DefaultHashAlgorithm, RSASignaturePadding.Pss);
        }

        return SignatureAlgorithm.Ed25519.Verify(_ed25519!, message, signature);
    }

    /// <summary>Frees the platform key.</summary>
    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }
}
