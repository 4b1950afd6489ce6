using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;
using NSec.Cryptography;

namespace KeyInfra.Cryptography;

/// <summary>
/// A private key in memory, ready to sign. Disposing it frees (and, where the platform allows, zeroes) the key.
/// Thread-safe for concurrent <see cref="Sign"/> calls.
/// </summary>
internal abstract class SigningKey : IDisposable
{
    protected SigningKey(KeySpec spec) => Spec = spec;

    public KeySpec Spec { get; }

    /// <summary>Generates a new key pair with the platform's (or the Ed25519 library's) generator.</summary>
    public static SigningKey Generate(KeySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Algorithm switch
        {
            KeyAlgorithm.Ecdsa => new EcdsaSigningKey(spec, ECDsa.Create(EcCurveInfo.For(spec).CreatePlatformCurve())),
            KeyAlgorithm.Rsa => new RsaSigningKey(spec, RSA.Create(spec.KeySizeBits)),
            _ => new Ed25519SigningKey(Key.Create(SignatureAlgorithm.Ed25519, Ed25519SigningKey.CreationParameters)),
        };
    }

    /// <summary>Imports a PKCS#8 PrivateKeyInfo (RFC 5208; RFC 8410 for Ed25519); strict DER.</summary>
    /// <exception cref="Errors.KeyFormatException">The PKCS#8 is malformed or not of <paramref name="spec"/>.</exception>
    public static SigningKey ImportPkcs8(KeySpec spec, ReadOnlySpan<byte> pkcs8)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var seed = Pkcs8Reader.Check(spec, pkcs8);
        try
        {
            switch (spec.Algorithm)
            {
                case KeyAlgorithm.Ecdsa:
                    var ecdsa = ECDsa.Create();
                    ImportPlatform(ecdsa, pkcs8);
                    return new EcdsaSigningKey(spec, ecdsa);
                case KeyAlgorithm.Rsa:
                    var rsa = RSA.Create();
                    ImportPlatform(rsa, pkcs8);
                    return new RsaSigningKey(spec, rsa);
                default:
                    return new Ed25519SigningKey(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, Ed25519SigningKey.CreationParameters));
            }
        }
        finally
        {
            if (seed is not null)
            {
                CryptographicOperations.ZeroMemory(seed);
            }
        }
    }

    /// <summary>The private key as PKCS#8 DER. The caller zeroes the buffer.</summary>
    public abstract byte[] ExportPkcs8();

    /// <summary>The public key as DER SubjectPublicKeyInfo.</summary>
    public abstract byte[] ExportSpki();

    /// <summary>Signs the message (or its hash when <paramref name="inputIsHash"/>).</summary>
    /// <exception cref="ArgumentException">A hash for Ed25519, or a hash of the wrong length.</exception>
    public abstract byte[] Sign(ReadOnlySpan<byte> input, bool inputIsHash, SignatureParameters parameters);

    public abstract void Dispose();

    /// <summary>Checks the hash algorithm and, for a precomputed hash, its length; returns the hash size.</summary>
    /// <exception cref="ArgumentException">An unsupported hash or a hash of the wrong length (KI3001).</exception>
    protected static int CheckHashInput(ReadOnlySpan<byte> input, bool inputIsHash, HashAlgorithmName hash)
    {
        var hashSize = SignatureHash.GetSize(hash);
        if (hashSize == 0)
        {
            throw new ArgumentException($"KI3001: The hash algorithm '{hash.Name}' is not supported; use SHA256, SHA384 or SHA512.", nameof(hash));
        }

        if (inputIsHash && input.Length != hashSize)
        {
            throw new ArgumentException($"KI3001: A {hash.Name} hash is {hashSize} bytes; {input.Length} bytes were given. Pass the hash itself, or the data with inputIsHash false.", nameof(input));
        }

        return hashSize;
    }

    private static void ImportPlatform(AsymmetricAlgorithm key, ReadOnlySpan<byte> pkcs8)
    {
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out var read);
            if (read != pkcs8.Length)
            {
                throw KeyFormatErrors.PrivateKey("The private key has trailing bytes.");
            }
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw KeyFormatErrors.PrivateKey("The platform rejected the private key (inconsistent or invalid components).", e);
        }
        catch (Errors.KeyFormatException)
        {
            key.Dispose();
            throw;
        }
    }
}
