using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace KeyInfra.Cryptography;

/// <summary>
/// RSASSA-PSS with a salt length other than the hash length (RFC 8017, section 9.1; MGF1 over the message hash),
/// which the platform's <see cref="RSASignaturePadding"/> cannot express: BouncyCastle's <see cref="PssSigner"/>.
/// The default salt (the hash length) stays on the platform. Stateless and thread-safe: every call builds its own objects.
/// </summary>
internal static class RsaPss
{
    /// <summary>Whether the platform can do PSS with this salt: only with the salt as long as the hash.</summary>
    public static bool IsPlatformSalt(int? saltLength, int hashSize) => saltLength is null || saltLength == hashSize;

    /// <summary>
    /// The longest salt that fits: emLen − hLen − 2 bytes, where emLen = ⌈(modBits − 1) / 8⌉ (RFC 8017, 9.1.1 step 3).
    /// </summary>
    public static int MaxSaltLength(int modulusBits, int hashSize) => ((modulusBits - 1 + 7) / 8) - hashSize - 2;

    /// <summary>Verifies a PSS signature over <paramref name="hash"/> with an explicit salt length. False for any bad input.</summary>
    public static bool Verify(RSA publicKey, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature, HashAlgorithmName hashAlgorithm, int saltLength)
    {
        var parameters = publicKey.ExportParameters(includePrivateParameters: false);
        var signer = PssSigner.CreateRawSigner(new RsaEngine(), Digest(hashAlgorithm), saltLength);
        signer.Init(false, new RsaKeyParameters(false, new BcBigInteger(1, parameters.Modulus), new BcBigInteger(1, parameters.Exponent)));
        signer.BlockUpdate(hash);
        try
        {
            return signer.VerifySignature(signature.ToArray());
        }
        catch (CryptoException)
        {
            // DataLengthException among them: a signature value not below the modulus.
            return false;
        }
    }

    /// <summary>
    /// Signs <paramref name="hash"/> with PSS and an explicit salt length, with blinding, and checks the signature
    /// before returning it (a fault in the private operation must not leak the key).
    /// </summary>
    /// <remarks>
    /// The private key is exported from the platform object for this call only and its arrays are zeroed after; the
    /// BouncyCastle integers made from them cannot be zeroed and are left to the garbage collector.
    /// </remarks>
    public static byte[] Sign(RSA privateKey, ReadOnlySpan<byte> hash, HashAlgorithmName hashAlgorithm, int saltLength, int modulusBytes)
    {
        var p = privateKey.ExportParameters(includePrivateParameters: true);
        byte[] raw;
        try
        {
            var key = new RsaPrivateCrtKeyParameters(
                Unsigned(p.Modulus), Unsigned(p.Exponent), Unsigned(p.D), Unsigned(p.P), Unsigned(p.Q),
                Unsigned(p.DP), Unsigned(p.DQ), Unsigned(p.InverseQ));
            var signer = PssSigner.CreateRawSigner(new RsaBlindedEngine(), Digest(hashAlgorithm), saltLength);
            signer.Init(true, new ParametersWithRandom(key, new SecureRandom()));
            signer.BlockUpdate(hash);
            raw = signer.GenerateSignature();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(p.D);
            CryptographicOperations.ZeroMemory(p.P);
            CryptographicOperations.ZeroMemory(p.Q);
            CryptographicOperations.ZeroMemory(p.DP);
            CryptographicOperations.ZeroMemory(p.DQ);
            CryptographicOperations.ZeroMemory(p.InverseQ);
        }

        if (raw.Length > modulusBytes)
        {
            throw new CryptographicException("The RSA-PSS signature is longer than the modulus.");
        }

        var signature = new byte[modulusBytes];
        raw.CopyTo(signature, modulusBytes - raw.Length);
        if (!Verify(privateKey, hash, signature, hashAlgorithm, saltLength))
        {
            throw new CryptographicException("The RSA-PSS signature did not verify under its own key.");
        }

        return signature;
    }

    private static BcBigInteger Unsigned(byte[]? value) => new(1, value ?? throw new CryptographicException("The RSA key lacks a private component."));

    private static IDigest Digest(HashAlgorithmName hash)
    {
        if (hash == HashAlgorithmName.SHA256)
        {
            return new Sha256Digest();
        }

        if (hash == HashAlgorithmName.SHA384)
        {
            return new Sha384Digest();
        }

        return hash == HashAlgorithmName.SHA512
            ? new Sha512Digest()
            : throw new ArgumentException($"KI3001: The hash algorithm '{hash.Name}' is not supported; use SHA256, SHA384 or SHA512.", nameof(hash));
    }
}
