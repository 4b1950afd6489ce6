using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Cryptography;

/// <summary>
/// RSA verification (PKCS#1 v1.5 or PSS with MGF1 over the same hash and a salt as long as the hash) with the
/// platform's RSA; PSS with another salt length through <see cref="RsaPss"/>. Thread-safe for the same reason as
/// <see cref="EcdsaVerificationKey"/>: each VerifyHash call gets its own OpenSSL context; the shared key object is only read.
/// </summary>
internal sealed class RsaVerificationKey : VerificationKey
{
    private readonly RSA _rsa;
    private readonly int _modulusBytes;

    public RsaVerificationKey(KeySpec spec, RSA rsa)
        : base(spec)
    {
        _rsa = rsa;
        _modulusBytes = spec.KeySizeBits / 8;
    }

    /// <summary>An RSA signature is exactly as long as the modulus.</summary>
    public override int MaxSignatureLength => _modulusBytes;

    public override VerificationStatus Verify(ReadOnlySpan<byte> input, bool inputIsHash, ReadOnlySpan<byte> signature, SignatureParameters parameters)
    {
        var hashSize = SignatureHash.GetSize(parameters.Hash);
        RSASignaturePadding? padding = parameters.Padding switch
        {
            RsaPadding.Pss => RSASignaturePadding.Pss,
            RsaPadding.Pkcs1 => RSASignaturePadding.Pkcs1,
            _ => null,
        };
        if (hashSize == 0 || padding is null || (inputIsHash && input.Length != hashSize))
        {
            return VerificationStatus.AlgorithmMismatch;
        }

        // A PSS salt other than the hash length is beyond RSASignaturePadding; one that cannot fit is a mode the key cannot have.
        var customSalt = parameters.Padding == RsaPadding.Pss && !RsaPss.IsPlatformSalt(parameters.PssSaltLength, hashSize);
        if (customSalt && !SaltFits(parameters.PssSaltLength!.Value, hashSize))
        {
            return VerificationStatus.AlgorithmMismatch;
        }

        if (signature.Length != _modulusBytes)
        {
            return VerificationStatus.MalformedSignature;
        }

        Span<byte> hashBuffer = stackalloc byte[SignatureHash.MaxHashBytes];
        var hash = inputIsHash ? input : hashBuffer[..SignatureHash.Hash(parameters.Hash, input, hashBuffer)];
        if (customSalt)
        {
            return RsaPss.Verify(_rsa, hash, signature, parameters.Hash, parameters.PssSaltLength!.Value)
                ? VerificationStatus.Valid
                : VerificationStatus.InvalidSignature;
        }

        try
        {
            return _rsa.VerifyHash(hash, signature, parameters.Hash, padding)
                ? VerificationStatus.Valid
                : VerificationStatus.InvalidSignature;
        }
        catch (CryptographicException)
        {
            // A signature value >= the modulus is reported as an error by some platforms.
            return VerificationStatus.InvalidSignature;
        }
    }

    public override string? Diagnose(ReadOnlySpan<byte> input, bool inputIsHash, ReadOnlySpan<byte> signature, SignatureParameters parameters, VerificationStatus status)
    {
        if (status == VerificationStatus.MalformedSignature)
        {
            return $"A {_modulusBytes}-byte signature expected (the {Spec.Name} modulus); got {signature.Length} bytes.";
        }

        var hashSize = SignatureHash.GetSize(parameters.Hash);
        if (status == VerificationStatus.AlgorithmMismatch && hashSize != 0 && parameters.Padding == RsaPadding.Pss
            && parameters.PssSaltLength is { } salt && !SaltFits(salt, hashSize))
        {
            return $"A PSS salt of {salt} bytes does not fit {Spec.Name} with {parameters.Hash.Name}: at most {RsaPss.MaxSaltLength(Spec.KeySizeBits, hashSize)} bytes.";
        }

        if (status != VerificationStatus.InvalidSignature)
        {
            return base.Diagnose(input, inputIsHash, signature, parameters, status);
        }

        // The other padding first (the usual mix-up: PKCS#1 from OpenSSL or X.509 against a PSS default), then other hashes.
        var other = parameters.Padding == RsaPadding.Pss ? RsaPadding.Pkcs1 : RsaPadding.Pss;
        var expected = parameters.Padding == RsaPadding.Pss ? "PSS" : "PKCS#1 v1.5";
        var otherName = other == RsaPadding.Pss ? "PSS" : "PKCS#1 v1.5";
        if (Verify(input, inputIsHash, signature, parameters with { Padding = other }) == VerificationStatus.Valid)
        {
            return $"{expected} expected; the signature verifies as {otherName} (RsaPadding.{other}).";
        }

        if (parameters.Padding == RsaPadding.Pss && OtherSaltThatVerifies(input, inputIsHash, signature, parameters, hashSize) is { } otherSalt)
        {
            return $"PSS with a {parameters.PssSaltLength ?? hashSize}-byte salt expected; the signature verifies with a {otherSalt}-byte salt (PssSaltLength).";
        }

        if (OtherHashThatVerifies(input, inputIsHash, signature, parameters) is { } hash)
        {
            return $"{parameters.Hash.Name} expected; the signature verifies with {hash.Name} (SignatureOptions.HashAlgorithm).";
        }

        return OtherHashThatVerifies(input, inputIsHash, signature, parameters with { Padding = other }) is { } otherHash
            ? $"{expected} with {parameters.Hash.Name} expected; the signature verifies as {otherName} with {otherHash.Name}."
            : null;
    }

    private bool SaltFits(int saltLength, int hashSize) => saltLength >= 0 && saltLength <= RsaPss.MaxSaltLength(Spec.KeySizeBits, hashSize);

    // The salts signers use: none, the hash length (the usual default), the longest that fits (OpenSSL's "max").
    private int? OtherSaltThatVerifies(ReadOnlySpan<byte> input, bool inputIsHash, ReadOnlySpan<byte> signature, SignatureParameters parameters, int hashSize)
    {
        var current = parameters.PssSaltLength ?? hashSize;
        foreach (var salt in (ReadOnlySpan<int>)[hashSize, 0, RsaPss.MaxSaltLength(Spec.KeySizeBits, hashSize)])
        {
            if (salt != current && Verify(input, inputIsHash, signature, parameters with { PssSaltLength = salt }) == VerificationStatus.Valid)
            {
                return salt;
            }
        }

        return null;
    }

    public override void Dispose() => _rsa.Dispose();
}
