using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using NSec.Cryptography;

namespace KeyInfra.Cryptography;

/// <summary>
/// An imported public key, ready to verify: the platform key object (or the Ed25519 library's), parsed once.
/// Instances are cached and shared by concurrent verifications, so <see cref="Verify"/> is thread-safe.
/// </summary>
internal abstract class VerificationKey : IDisposable
{
    protected VerificationKey(KeySpec spec) => Spec = spec;

    public KeySpec Spec { get; }

    /// <summary>
    /// The longest signature any supported key makes, in any encoding: an RSA-4096 signature (512 bytes). The bound on
    /// what is hashed for the log when no key is known.
    /// </summary>
    public const int MaxAnySignatureLength = KeySpec.MaxRsaKeySizeBits / 8;

    /// <summary>
    /// The longest signature this key can make in any encoding it verifies. A longer one is malformed and is never parsed,
    /// and only this many of its bytes are hashed for the log.
    /// </summary>
    public abstract int MaxSignatureLength { get; }

    /// <summary>
    /// The signature's canonical form, the one the verification log hashes: for ECDSA the fixed-length P1363 <c>r‖s</c>
    /// whatever the encoding it came in (a DER signature and its P1363 form are one signature); for RSA and Ed25519,
    /// whose signatures have one encoding, the bytes themselves. A signature that does not parse under
    /// <paramref name="parameters"/> has no canonical form: the bytes as given are returned.
    /// </summary>
    /// <param name="signature">The signature, at most <see cref="MaxSignatureLength"/> bytes.</param>
    /// <param name="parameters">The resolved parameters (their encoding says how an ECDSA signature is encoded).</param>
    /// <param name="buffer">At least <see cref="MaxSignatureLength"/> bytes, for a converted form.</param>
    public virtual ReadOnlySpan<byte> Canonicalize(ReadOnlySpan<byte> signature, SignatureParameters parameters, Span<byte> buffer) => signature;

    /// <summary>Imports a validated SPKI (from <see cref="PublicKeyCodec.Decode"/> or storage).</summary>
    /// <remarks>The SPKI is parsed strictly again: stored bytes are not trusted more than imported ones.</remarks>
    /// <exception cref="Errors.KeyFormatException">The SPKI is malformed, invalid, or not of <paramref name="spec"/>.</exception>
    public static VerificationKey Create(KeySpec spec, ReadOnlySpan<byte> spki)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var material = PublicKeyCodec.ReadSpki(spki);
        if (material.Spec != spec)
        {
            throw KeyFormatErrors.Mismatch(material.Spec.Name, spec.Name);
        }

        return Create(material);
    }

    /// <summary>Imports key material that passed the structural checks into the platform: the one import of a stored key.</summary>
    /// <exception cref="Errors.KeyFormatException">The platform rejects the key (a point not on the curve, an RSA key it refuses).</exception>
    public static VerificationKey Create(PublicKeyMaterial material)
    {
        ArgumentNullException.ThrowIfNull(material);
        var spec = material.Spec;
        return spec.Algorithm switch
        {
            KeyAlgorithm.Ecdsa => new EcdsaVerificationKey(spec, material.CreateEcdsa()),
            KeyAlgorithm.Rsa => new RsaVerificationKey(spec, material.CreateRsa()),
            _ => new Ed25519VerificationKey(PublicKey.Import(SignatureAlgorithm.Ed25519, material.Ed25519Key, KeyBlobFormat.RawPublicKey)),
        };
    }

    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="input"/> (the message, or its hash when
    /// <paramref name="inputIsHash"/>). Returns Valid, InvalidSignature, MalformedSignature, or
    /// AlgorithmMismatch (a hash for Ed25519, a hash whose length is not the hash algorithm's, an unsupported hash).
    /// Never throws for bad input.
    /// </summary>
    public abstract VerificationStatus Verify(ReadOnlySpan<byte> input, bool inputIsHash, ReadOnlySpan<byte> signature, SignatureParameters parameters);

    /// <summary>
    /// Says in a few words why <paramref name="status"/> (what <see cref="Verify"/> returned for these arguments) is not
    /// Valid, when more can be told: a signature of another encoding, padding or hash than <paramref name="parameters"/>
    /// name, or a length that fits nothing. <c>null</c> when there is nothing to add. Only diagnoses: it never changes
    /// the outcome. Runs only for a refused signature, so it may verify again under other parameters. Never throws for bad input.
    /// </summary>
    public virtual string? Diagnose(ReadOnlySpan<byte> input, bool inputIsHash, ReadOnlySpan<byte> signature, SignatureParameters parameters, VerificationStatus status)
    {
        if (status != VerificationStatus.AlgorithmMismatch || Spec.Algorithm == KeyAlgorithm.EdDsa)
        {
            return null;
        }

        var hashSize = SignatureHash.GetSize(parameters.Hash);
        if (hashSize == 0)
        {
            return $"{parameters.Hash.Name} is not a hash KeyInfra verifies with; use SHA256, SHA384 or SHA512.";
        }

        return inputIsHash && input.Length != hashSize
            ? $"A {parameters.Hash.Name} hash is {hashSize} bytes; got {input.Length} (SignatureOptions.HashAlgorithm names the hash)."
            : null;
    }

    /// <summary>
    /// For a data request refused as InvalidSignature: another supported hash under which the signature verifies with
    /// otherwise the same parameters, or <c>null</c>.
    /// </summary>
    protected HashAlgorithmName? OtherHashThatVerifies(ReadOnlySpan<byte> input, bool inputIsHash, ReadOnlySpan<byte> signature, SignatureParameters parameters)
    {
        if (inputIsHash)
        {
            return null;
        }

        foreach (var hash in SignatureHash.Supported)
        {
            if (hash != parameters.Hash && Verify(input, inputIsHash: false, signature, parameters with { Hash = hash }) == VerificationStatus.Valid)
            {
                return hash;
            }
        }

        return null;
    }

    /// <summary>Frees the platform key object. Call it only when no verification is using the key any more.</summary>
    public abstract void Dispose();
}
