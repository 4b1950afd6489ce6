using KeyInfra.Keys;

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
    public static SigningKey Generate(KeySpec spec) => throw new NotImplementedException();

    /// <summary>Imports a PKCS#8 PrivateKeyInfo (RFC 5208; RFC 8410 for Ed25519); strict DER.</summary>
    /// <exception cref="Errors.KeyFormatException">The PKCS#8 is malformed or not of <paramref name="spec"/>.</exception>
    public static SigningKey ImportPkcs8(KeySpec spec, ReadOnlySpan<byte> pkcs8) => throw new NotImplementedException();

    /// <summary>The private key as PKCS#8 DER. The caller zeroes the buffer.</summary>
    public abstract byte[] ExportPkcs8();

    /// <summary>The public key as DER SubjectPublicKeyInfo.</summary>
    public abstract byte[] ExportSpki();

    /// <summary>Signs the message (or its hash when <paramref name="inputIsHash"/>).</summary>
    /// <exception cref="ArgumentException">A hash for Ed25519, or a hash of the wrong length.</exception>
    public abstract byte[] Sign(ReadOnlySpan<byte> input, bool inputIsHash, SignatureParameters parameters);

    public abstract void Dispose();
}
