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
}
