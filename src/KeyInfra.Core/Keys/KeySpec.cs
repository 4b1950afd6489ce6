using System.Security.Cryptography;

namespace KeyInfra.Keys;

/// <summary>
/// What kind of key: the algorithm, its curve (ECDSA, EdDSA) or size in bits (RSA).
/// Use the predefined instances (<see cref="EcdsaP256"/>, <see cref="Ed25519"/>, <see cref="Rsa3072"/>, …).
/// </summary>
public sealed record KeySpec
{
    private KeySpec(KeyAlgorithm algorithm, KeyCurve curve, int keySizeBits, HashAlgorithmName defaultHash)
    {
        Algorithm = algorithm;
        Curve = curve;
        KeySizeBits = keySizeBits;
        DefaultHashAlgorithm = defaultHash;
    }

    /// <summary>ECDSA on NIST P-256, signing SHA-256 hashes.</summary>
    public static KeySpec EcdsaP256 { get; } = new(KeyAlgorithm.Ecdsa, KeyCurve.P256, 256, HashAlgorithmName.SHA256);

    /// <summary>ECDSA on NIST P-384, signing SHA-384 hashes.</summary>
    public static KeySpec EcdsaP384 { get; } = new(KeyAlgorithm.Ecdsa, KeyCurve.P384, 384, HashAlgorithmName.SHA384);

    /// <summary>ECDSA on NIST P-521, signing SHA-512 hashes.</summary>
    public static KeySpec EcdsaP521 { get; } = new(KeyAlgorithm.Ecdsa, KeyCurve.P521, 521, HashAlgorithmName.SHA512);

    /// <summary>ECDSA on secp256k1, signing SHA-256 hashes.</summary>
    public static KeySpec EcdsaSecp256k1 { get; } = new(KeyAlgorithm.Ecdsa, KeyCurve.Secp256k1, 256, HashAlgorithmName.SHA256);

    /// <summary>Ed25519 (pure EdDSA, RFC 8032): signs the message itself, not a hash.</summary>
    public static KeySpec Ed25519 { get; } = new(KeyAlgorithm.EdDsa, KeyCurve.Ed25519, 256, default);

    /// <summary>RSA with a 2048-bit modulus, SHA-256.</summary>
    public static KeySpec Rsa2048 { get; } = Rsa(2048);

    /// <summary>RSA with a 3072-bit modulus, SHA-256.</summary>
    public static KeySpec Rsa3072 { get; } = Rsa(3072);

    /// <summary>RSA with a 4096-bit modulus, SHA-256.</summary>
    public static KeySpec Rsa4096 { get; } = Rsa(4096);

    /// <summary>The smallest RSA modulus KeyInfra accepts, in bits.</summary>
    public const int MinRsaKeySizeBits = 2048;

    /// <summary>The largest RSA modulus KeyInfra accepts, in bits.</summary>
    public const int MaxRsaKeySizeBits = 4096;

    /// <summary>The algorithm family.</summary>
    public KeyAlgorithm Algorithm { get; }

    /// <summary>The curve, or <see cref="KeyCurve.None"/> for RSA.</summary>
    public KeyCurve Curve { get; }

    /// <summary>The key size in bits: the curve's field size, or the RSA modulus length.</summary>
    public int KeySizeBits { get; }

    /// <summary>The hash used when a request names none; <c>default</c> for Ed25519, which hashes internally.</summary>
    public HashAlgorithmName DefaultHashAlgorithm { get; }

    /// <summary>A short, stable name: <c>ES256</c>-style names are JOSE's; these are KeyInfra's (<c>ecdsa-p256</c>, <c>rsa-3072</c>, <c>ed25519</c>).</summary>
    public string Name => Algorithm switch
    {
        KeyAlgorithm.Rsa => $"rsa-{KeySizeBits}",
        KeyAlgorithm.EdDsa => "ed25519",
        _ => Curve switch
        {
            KeyCurve.P256 => "ecdsa-p256",
            KeyCurve.P384 => "ecdsa-p384",
            KeyCurve.P521 => "ecdsa-p521",
            _ => "ecdsa-secp256k1",
        },
    };

    /// <summary>Every key spec of a fixed size KeyInfra supports (RSA at its three usual sizes).</summary>
    public static IReadOnlyList<KeySpec> All { get; } =
        [EcdsaP256, EcdsaP384, EcdsaP521, EcdsaSecp256k1, Ed25519, Rsa2048, Rsa3072, Rsa4096];

    /// <summary>An RSA key spec of the given modulus size.</summary>
    /// <param name="keySizeBits">2048 to 4096, a multiple of 8.</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is outside 2048–4096 or not a multiple of 8.</exception>
    public static KeySpec Rsa(int keySizeBits)
    {
        if (keySizeBits is < MinRsaKeySizeBits or > MaxRsaKeySizeBits || keySizeBits % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(keySizeBits), keySizeBits,
                $"RSA keys must be {MinRsaKeySizeBits} to {MaxRsaKeySizeBits} bits and a multiple of 8; smaller keys are not safe.");
        }

        return new KeySpec(KeyAlgorithm.Rsa, KeyCurve.None, keySizeBits, HashAlgorithmName.SHA256);
    }

    /// <summary>The spec for an elliptic curve.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="curve"/> is <see cref="KeyCurve.None"/> or unknown.</exception>
    public static KeySpec ForCurve(KeyCurve curve) => curve switch
    {
        KeyCurve.P256 => EcdsaP256,
        KeyCurve.P384 => EcdsaP384,
        KeyCurve.P521 => EcdsaP521,
        KeyCurve.Secp256k1 => EcdsaSecp256k1,
        KeyCurve.Ed25519 => Ed25519,
        _ => throw new ArgumentOutOfRangeException(nameof(curve), curve, "Not an elliptic curve KeyInfra supports."),
    };

    /// <summary>Parses a name made by <see cref="Name"/> (case-insensitive).</summary>
    /// <exception cref="FormatException">The name is not a KeyInfra key spec.</exception>
    public static KeySpec Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var spec in All)
        {
            if (string.Equals(spec.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return spec;
            }
        }

        if (name.StartsWith("rsa-", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(name.AsSpan(4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bits)
            && bits is >= MinRsaKeySizeBits and <= MaxRsaKeySizeBits && bits % 8 == 0)
        {
            return Rsa(bits);
        }

        throw new FormatException($"'{name}' is not a key type KeyInfra knows. Use one of: {string.Join(", ", All.Select(s => s.Name))}.");
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
