using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Cryptography;

/// <summary>
/// ECDSA verification with the platform's ECDsa.
/// Thread-safe: after import the key object is only read. On Linux every VerifyHash call creates its own
/// OpenSSL EVP_PKEY_CTX from the shared, reference-counted EVP_PKEY (CNG and Security.framework calls on
/// other platforms are likewise per call), and the hash and DER conversion use stack buffers only.
/// </summary>
internal sealed class EcdsaVerificationKey : VerificationKey
{
    // P-521: two 66-byte field elements.
    private const int MaxP1363Bytes = 2 * 66;

    private readonly ECDsa _ecdsa;
    private readonly int _fieldBytes;

    public EcdsaVerificationKey(KeySpec spec, ECDsa ecdsa)
        : base(spec)
    {
        _ecdsa = ecdsa;
        Curve = EcCurveInfo.For(spec);
        _fieldBytes = Curve.FieldBytes;
        MaxSignatureLength = EcdsaSignatureEncoding.MaxDerLength(_fieldBytes);
    }

    public EcCurveInfo Curve { get; }

    /// <summary>The longest DER encoding (it is never shorter than P1363's <c>2 × field bytes</c>).</summary>
    public override int MaxSignatureLength { get; }

    public override ReadOnlySpan<byte> Canonicalize(ReadOnlySpan<byte> signature, SignatureParameters parameters, Span<byte> buffer)
    {
        var p1363Length = 2 * _fieldBytes;
        return parameters.Encoding == SignatureEncoding.Der && !signature.IsEmpty && EcdsaSignatureEncoding.TryDerToP1363(signature, _fieldBytes, buffer[..p1363Length])
            ? buffer[..p1363Length]
            : signature;
    }

    public override VerificationStatus Verify(ReadOnlySpan<byte> input, bool inputIsHash, ReadOnlySpan<byte> signature, SignatureParameters parameters)
    {
        var hashSize = SignatureHash.GetSize(parameters.Hash);
        if (hashSize == 0 || parameters.Encoding is not (SignatureEncoding.P1363 or SignatureEncoding.Der))
        {
            return VerificationStatus.AlgorithmMismatch;
        }

        if (inputIsHash && input.Length != hashSize)
        {
            return VerificationStatus.AlgorithmMismatch;
        }

        var p1363Length = 2 * _fieldBytes;
        Span<byte> converted = stackalloc byte[MaxP1363Bytes];
        scoped ReadOnlySpan<byte> p1363;
        if (parameters.Encoding == SignatureEncoding.P1363)
        {
            if (signature.Length != p1363Length)
            {
                return VerificationStatus.MalformedSignature;
            }

            p1363 = signature;
        }
        else
        {
            if (signature.IsEmpty || !EcdsaSignatureEncoding.TryDerToP1363(signature, _fieldBytes, converted[..p1363Length]))
            {
                return VerificationStatus.MalformedSignature;
            }

            p1363 = converted[..p1363Length];
        }

        Span<byte> hashBuffer = stackalloc byte[SignatureHash.MaxHashBytes];
        var hash = inputIsHash ? input : hashBuffer[..SignatureHash.Hash(parameters.Hash, input, hashBuffer)];
        try
        {
            return _ecdsa.VerifyHash(hash, p1363, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                ? VerificationStatus.Valid
                : VerificationStatus.InvalidSignature;
        }
        catch (CryptographicException)
        {
            // OpenSSL reports some out-of-range r or s values as errors rather than as a failed check.
            return VerificationStatus.InvalidSignature;
        }
    }

    public override string? Diagnose(ReadOnlySpan<byte> input, bool inputIsHash, ReadOnlySpan<byte> signature, SignatureParameters parameters, VerificationStatus status)
    {
        var p1363Length = 2 * _fieldBytes;
        switch (status)
        {
            case VerificationStatus.MalformedSignature when signature.IsEmpty:
                return "The signature is empty.";
            case VerificationStatus.MalformedSignature when parameters.Encoding == SignatureEncoding.P1363:
                Span<byte> converted = stackalloc byte[MaxP1363Bytes];
                return EcdsaSignatureEncoding.TryDerToP1363(signature, _fieldBytes, converted[..p1363Length])
                    ? $"{p1363Length}-byte P1363 expected; {signature.Length} bytes that parse as DER (SignatureEncoding.Der)."
                    : $"{p1363Length}-byte P1363 expected ({Spec.Name}); got {signature.Length} bytes.";
            case VerificationStatus.MalformedSignature:
                return signature.Length == p1363Length
                    ? $"DER expected; {signature.Length} bytes that are not DER, the length of a P1363 signature on {Spec.Name} (SignatureEncoding.P1363)."
                    : $"DER expected; {signature.Length} bytes that are not canonical DER for {Spec.Name}.";
            case VerificationStatus.InvalidSignature:
                return OtherHashThatVerifies(input, inputIsHash, signature, parameters) is { } hash
                    ? $"{parameters.Hash.Name} expected; the signature verifies with {hash.Name} (SignatureOptions.HashAlgorithm)."
                    : null;
            default:
                return base.Diagnose(input, inputIsHash, signature, parameters, status);
        }
    }

    public override void Dispose() => _ecdsa.Dispose();
}
