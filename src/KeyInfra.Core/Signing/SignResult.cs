using KeyInfra.Keys;

namespace KeyInfra.Signing;

/// <summary>A signature and what made it.</summary>
/// <param name="KeyId">The key that signed.</param>
/// <param name="Spec">The key's type.</param>
/// <param name="Signature">The signature bytes, in <paramref name="Encoding"/> for ECDSA.</param>
/// <param name="Encoding">The ECDSA encoding used; <c>null</c> for other algorithms.</param>
/// <param name="HashAlgorithm">The hash used (ECDSA, RSA); <c>null</c> for Ed25519.</param>
/// <param name="RsaPadding">The RSA padding used; <c>null</c> for other algorithms.</param>
public sealed record SignResult(
    KeyId KeyId,
    KeySpec Spec,
    byte[] Signature,
    SignatureEncoding? Encoding,
    string? HashAlgorithm,
    RsaPadding? RsaPadding)
{
    /// <summary>The RSA-PSS salt length used, in bytes; <c>null</c> for PKCS#1 v1.5 and other algorithms.</summary>
    public int? PssSaltLength { get; init; }
}
