using System.Security.Cryptography;

namespace KeyInfra.Signing;

/// <summary>
/// The resolved choices of one signature or verification: the request's <see cref="SignatureOptions"/> over the key's
/// defaults. A private-key backend receives them and signs exactly as they say.
/// </summary>
/// <param name="Hash">The hash algorithm (SHA-256, SHA-384 or SHA-512); Ed25519 ignores it.</param>
/// <param name="Encoding">The ECDSA signature encoding; other algorithms ignore it.</param>
/// <param name="Padding">The RSA padding; other algorithms ignore it.</param>
/// <remarks>An immutable value; safe to share between threads.</remarks>
public readonly record struct SignatureParameters(HashAlgorithmName Hash, SignatureEncoding Encoding, RsaPadding Padding)
{
    /// <summary>
    /// The RSA-PSS salt length in bytes; <c>null</c> for the length of <see cref="Hash"/> (RFC 8017's recommendation).
    /// The MGF1 hash is always <see cref="Hash"/>. Ignored unless <see cref="Padding"/> is <see cref="RsaPadding.Pss"/>.
    /// </summary>
    public int? PssSaltLength { get; init; }
}
