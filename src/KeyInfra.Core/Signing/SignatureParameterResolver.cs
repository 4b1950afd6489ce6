using KeyInfra.Keys;

namespace KeyInfra.Signing;

/// <summary>
/// Resolves a request's options over a key's defaults: the one place <see cref="Signer"/> and the verifier decide
/// which hash, encoding, padding and salt length a signature uses.
/// </summary>
internal static class SignatureParameterResolver
{
    public static SignatureParameters Resolve(KeyInfo key, SignatureOptions? options) => new(
        options?.HashAlgorithm ?? key.Spec.DefaultHashAlgorithm,
        options?.Encoding ?? key.DefaultSignatureEncoding,
        options?.RsaPadding ?? key.DefaultRsaPadding)
    {
        PssSaltLength = options?.PssSaltLength ?? key.DefaultPssSaltLength,
    };
}
