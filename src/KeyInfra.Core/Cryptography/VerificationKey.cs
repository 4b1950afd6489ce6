using KeyInfra.Keys;
using KeyInfra.Verification;

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
    public static VerificationKey Create(KeySpec spec, ReadOnlySpan<byte> spki) => throw new NotImplementedException();

    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="input"/> (the message, or its hash when
    /// <paramref name="inputIsHash"/>). Returns Valid, InvalidSignature, MalformedSignature, or
    /// AlgorithmMismatch (a hash for Ed25519, a hash whose length is not the hash algorithm's, an unsupported hash).
    /// Never throws for bad input.
    /// </summary>
    public abstract VerificationStatus Verify(ReadOnlySpan<byte> input, bool inputIsHash, ReadOnlySpan<byte> signature, SignatureParameters parameters);

    public abstract void Dispose();
}
