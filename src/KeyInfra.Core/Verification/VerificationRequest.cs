using KeyInfra.Keys;
using KeyInfra.Signing;

namespace KeyInfra.Verification;

/// <summary>Asks whether a signature over data (or over a hash) is valid under a key.</summary>
public sealed record VerificationRequest
{
    /// <summary>Verifies <paramref name="signature"/> over <paramref name="data"/>.</summary>
    public VerificationRequest(KeyId keyId, ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> signature)
    {
        KeyId = keyId;
        Data = data;
        Signature = signature;
    }

    private VerificationRequest(KeyId keyId, ReadOnlyMemory<byte> hash, ReadOnlyMemory<byte> signature, bool isHash)
    {
        KeyId = keyId;
        Hash = hash;
        Signature = signature;
        _ = isHash;
    }

    /// <summary>
    /// Verifies a signature over a hash the caller computed (ECDSA and RSA). The hash algorithm is the
    /// key's default unless <see cref="Options"/> names another; the hash length must match it.
    /// Ed25519 signs messages, so a hash request for an Ed25519 key is an <see cref="VerificationStatus.AlgorithmMismatch"/>.
    /// </summary>
    public static VerificationRequest ForHash(KeyId keyId, ReadOnlyMemory<byte> hash, ReadOnlyMemory<byte> signature)
        => new(keyId, hash, signature, isHash: true);

    /// <summary>The key to verify with.</summary>
    public KeyId KeyId { get; }

    /// <summary>The signed message, for a data request.</summary>
    public ReadOnlyMemory<byte>? Data { get; }

    /// <summary>The message's hash, for a hash request.</summary>
    public ReadOnlyMemory<byte>? Hash { get; }

    /// <summary>The signature to check.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>Overrides of the key's default hash, encoding and padding.</summary>
    public SignatureOptions? Options { get; init; }

    /// <summary>
    /// The algorithm the caller expects the key to have. If the key is of another algorithm the result
    /// is <see cref="VerificationStatus.AlgorithmMismatch"/>: this stops algorithm-confusion attacks
    /// where an attacker picks the key id.
    /// </summary>
    public KeyAlgorithm? ExpectedAlgorithm { get; init; }

    /// <summary>Who asked (an application or user name), recorded in the log; up to 200 characters.</summary>
    public string? Caller { get; init; }
}
