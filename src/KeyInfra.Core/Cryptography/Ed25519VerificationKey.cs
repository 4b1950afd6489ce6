using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using NSec.Cryptography;

namespace KeyInfra.Cryptography;

/// <summary>
/// Ed25519 (pure, RFC 8032) verification with NSec (libsodium). Thread-safe: an NSec PublicKey is immutable
/// and libsodium's verify is a pure function of its arguments. libsodium also rejects non-canonical S
/// (S ≥ L) and small-order R, so signatures are not malleable.
/// </summary>
internal sealed class Ed25519VerificationKey : VerificationKey
{
    private readonly PublicKey _publicKey;

    public Ed25519VerificationKey(PublicKey publicKey)
        : base(KeySpec.Ed25519)
    {
        _publicKey = publicKey;
    }

    /// <summary>An Ed25519 signature is 64 bytes.</summary>
    public override int MaxSignatureLength => SignatureAlgorithm.Ed25519.SignatureSize;

    public override VerificationStatus Verify(ReadOnlySpan<byte> input, bool inputIsHash, ReadOnlySpan<byte> signature, SignatureParameters parameters)
    {
        // Ed25519 hashes the message itself (with SHA-512, inside the algorithm); a caller's hash cannot be
        // verified against a pure Ed25519 signature. parameters.Hash is ignored, as documented for SignatureOptions.
        if (inputIsHash)
        {
            return VerificationStatus.AlgorithmMismatch;
        }

        if (signature.Length != SignatureAlgorithm.Ed25519.SignatureSize)
        {
            return VerificationStatus.MalformedSignature;
        }

        return SignatureAlgorithm.Ed25519.Verify(_publicKey, input, signature)
            ? VerificationStatus.Valid
            : VerificationStatus.InvalidSignature;
    }

    public override string? Diagnose(ReadOnlySpan<byte> input, bool inputIsHash, ReadOnlySpan<byte> signature, SignatureParameters parameters, VerificationStatus status) => status switch
    {
        VerificationStatus.AlgorithmMismatch when inputIsHash => "Ed25519 signs the message itself; verify the data, not a hash of it.",
        VerificationStatus.MalformedSignature => $"A {SignatureAlgorithm.Ed25519.SignatureSize}-byte Ed25519 signature expected; got {signature.Length} bytes.",
        _ => null,
    };

    public override void Dispose()
    {
        // An NSec PublicKey holds no native resources.
    }
}
