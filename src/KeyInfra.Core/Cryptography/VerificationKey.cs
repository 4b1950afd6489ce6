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

    /// <summary>Frees the platform key object. Call it only when no verification is using the key any more.</summary>
    public abstract void Dispose();
}
