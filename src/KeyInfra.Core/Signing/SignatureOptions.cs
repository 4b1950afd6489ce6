using System.Security.Cryptography;

namespace KeyInfra.Signing;

/// <summary>
/// Per-request choices that override the key's defaults. Leave a property <c>null</c> to use the key's default.
/// </summary>
public sealed record SignatureOptions
{
    /// <summary>The hash algorithm (ECDSA, RSA): SHA-256, SHA-384 or SHA-512. Ignored by Ed25519.</summary>
    public HashAlgorithmName? HashAlgorithm { get; init; }

    /// <summary>The ECDSA signature encoding.</summary>
    public SignatureEncoding? Encoding { get; init; }

    /// <summary>The RSA padding.</summary>
    public RsaPadding? RsaPadding { get; init; }

    /// <summary>
    /// The RSA-PSS salt length in bytes (RFC 8017, section 9.1.1); <c>null</c> for the key's default
    /// (<see cref="Keys.KeyInfo.DefaultPssSaltLength"/>, by default as long as the hash). MGF1 always uses the message hash.
    /// A salt that does not fit the key and hash is refused: signing throws, verification is <c>AlgorithmMismatch</c>.
    /// Ignored by PKCS#1 v1.5 and by other algorithms.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative length.</exception>
    public int? PssSaltLength
    {
        get;
        init => field = value is < 0 ? throw new ArgumentOutOfRangeException(nameof(PssSaltLength), value, "A PSS salt length is 0 or more bytes.") : value;
    }
}
