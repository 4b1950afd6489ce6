using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Keys;
using KeyInfra.Signing;

namespace KeyInfra.Certificates;

/// <summary>
/// An <see cref="X509SignatureGenerator"/> whose signatures <see cref="ISigner"/> makes with a KeyInfra key, so the BCL's
/// <see cref="CertificateRequest"/> and <see cref="CertificateRevocationListBuilder"/> can issue certificates and CRLs
/// with a key that never leaves KeyInfra (encrypted at rest, or inside a PKCS#11 token).
/// </summary>
/// <remarks>
/// <para>ECDSA signatures are DER, as X.509 wants them (RFC 5758); RSA uses PKCS#1 v1.5 unless PSS is asked for, with
/// PSS's salt as long as the hash and MGF1 over the same hash (RFC 4055), which is what the BCL's own generator
/// describes. Ed25519 (RFC 8410) signs the data itself and ignores the hash the BCL passes; the BCL has no generator
/// for it, so its algorithm identifier (the bare OID 1.3.101.112) is written here.</para>
/// <para>The BCL calls a generator synchronously, so <see cref="SignData"/> waits for the signer: a round trip to an
/// HSM blocks the calling thread for its duration. Every signature goes through <see cref="ISigner"/> and so through
/// its checks (the caller's permission, the key's status, the data-plane audit record).</para>
/// </remarks>
public sealed class KeySignatureGenerator : X509SignatureGenerator
{
    private static readonly byte[] s_ed25519AlgorithmIdentifier = Ed25519AlgorithmIdentifier();

    private readonly ISigner _signer;
    private readonly KeyInfo _key;
    private readonly RsaPadding _rsaPadding;

    /// <summary>A generator signing with <paramref name="key"/> through <paramref name="signer"/>.</summary>
    /// <param name="signer">The engine's signer.</param>
    /// <param name="key">The signing key: ECDSA, RSA or Ed25519, with a private key KeyInfra holds.</param>
    /// <param name="rsaPadding">For an RSA key, the padding of its signatures; PKCS#1 v1.5 by default, the form every X.509 verifier accepts.</param>
    /// <exception cref="ArgumentException">The key has no private key here.</exception>
    public KeySignatureGenerator(ISigner signer, KeyInfo key, RsaPadding rsaPadding = RsaPadding.Pkcs1)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(key);
        if (!key.HasPrivateKey)
        {
            throw new ArgumentException($"Key {key.Id} has no private key in KeyInfra, so it cannot sign certificates or CRLs.", nameof(key));
        }

        if (!Enum.IsDefined(rsaPadding))
        {
            throw new ArgumentOutOfRangeException(nameof(rsaPadding), rsaPadding, "The RSA padding is PKCS#1 v1.5 or PSS.");
        }

        _signer = signer;
        _key = key;
        _rsaPadding = rsaPadding;
    }

    /// <summary>The key that signs.</summary>
    public KeyInfo Key => _key;

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The key is of an algorithm KeyInfra does not sign certificates with (not ECDSA, RSA or Ed25519).</exception>
    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        // The BCL describes ECDSA and RSA signatures itself, from the public key alone.
        switch (_key.Spec.Algorithm)
        {
            case KeyAlgorithm.Ecdsa:
                using (var ecdsa = ECDsa.Create())
                {
                    ecdsa.ImportSubjectPublicKeyInfo(_key.PublicKeySpki.Span, out _);
                    return CreateForECDsa(ecdsa).GetSignatureAlgorithmIdentifier(hashAlgorithm);
                }

            case KeyAlgorithm.Rsa:
                using (var rsa = RSA.Create())
                {
                    rsa.ImportSubjectPublicKeyInfo(_key.PublicKeySpki.Span, out _);
                    var padding = _rsaPadding == RsaPadding.Pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                    return CreateForRSA(rsa, padding).GetSignatureAlgorithmIdentifier(hashAlgorithm);
                }

            case KeyAlgorithm.EdDsa:
                return s_ed25519AlgorithmIdentifier.ToArray();

            default:
                throw Unsupported();
        }
    }

    /// <inheritdoc />
    /// <exception cref="Errors.KeyInfraException">The signer refused: the key is revoked or expired, the caller may not sign with it, the token failed.</exception>
    /// <exception cref="ArgumentException">An RSA-PSS signature over a hash other than SHA-256, SHA-384 or SHA-512.</exception>
    /// <exception cref="NotSupportedException">The key is of an algorithm KeyInfra does not sign certificates with (not ECDSA, RSA or Ed25519).</exception>
    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
    {
        ArgumentNullException.ThrowIfNull(data);
        var options = _key.Spec.Algorithm switch
        {
            KeyAlgorithm.Ecdsa => new SignatureOptions { HashAlgorithm = hashAlgorithm, Encoding = SignatureEncoding.Der },
            KeyAlgorithm.Rsa => new SignatureOptions
            {
                HashAlgorithm = hashAlgorithm,
                RsaPadding = _rsaPadding,
                PssSaltLength = _rsaPadding == RsaPadding.Pss ? HashLength(hashAlgorithm) : null,
            },
            KeyAlgorithm.EdDsa => null,
            _ => throw Unsupported(),
        };

        // The BCL's generator contract is synchronous, so this blocks; under a synchronization context it can deadlock
        // (docs/certificates.md says to issue from a thread-pool thread).
        return _signer.SignAsync(new SignRequest(_key.Id, data) { Options = options }).GetAwaiter().GetResult().Signature;
    }

    /// <inheritdoc />
    protected override PublicKey BuildPublicKey() => PublicKey.CreateFromSubjectPublicKeyInfo(_key.PublicKeySpki.Span, out _);

    // Named after SignData's parameter, which is what a caller sees in the exception.
    private static int HashLength(HashAlgorithmName hashAlgorithm)
        => hashAlgorithm == HashAlgorithmName.SHA256 ? 32
            : hashAlgorithm == HashAlgorithmName.SHA384 ? 48
            : hashAlgorithm == HashAlgorithmName.SHA512 ? 64
            : throw new ArgumentException($"Certificates and CRLs are signed with SHA-256, SHA-384 or SHA-512, not {hashAlgorithm.Name}.", nameof(hashAlgorithm));

    private NotSupportedException Unsupported()
        => new($"Key {_key.Id} is a {_key.Spec.Algorithm} key; certificates and CRLs are signed with ECDSA, RSA or Ed25519 keys only.");

    // AlgorithmIdentifier ::= SEQUENCE { algorithm id-Ed25519 } — parameters absent (RFC 8410, section 3).
    private static byte[] Ed25519AlgorithmIdentifier()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.3.101.112");
        }

        return writer.Encode();
    }
}
