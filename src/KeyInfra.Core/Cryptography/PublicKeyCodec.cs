using KeyInfra.Keys;

namespace KeyInfra.Cryptography;

/// <summary>Strict decoding of public keys from PEM, DER and raw forms, and encoding to every <see cref="KeyFormat"/>.</summary>
/// <remarks>docs/cryptography.md lists every check and the error code it raises. Stateless and thread-safe.</remarks>
internal static class PublicKeyCodec
{
    /// <summary>
    /// The largest input accepted, checked before anything is allocated. A 4096-bit RSA key is about 550 bytes
    /// in DER and 800 in PEM; 16 KiB leaves room for generous whitespace and nothing more.
    /// </summary>
    public const int MaxInputBytes = 16 * 1024;

    /// <summary>
    /// Parses, validates (point on curve, RSA size and exponent, curve matches <paramref name="expected"/>)
    /// and normalises a public key.
    /// </summary>
    /// <exception cref="Errors.KeyFormatException">Anything wrong, with the error code that says what.</exception>
    public static DecodedPublicKey Decode(ReadOnlySpan<byte> data, KeyFormat format, KeySpec? expected)
    {
        var material = Parse(data, format, expected);
        if (expected is not null && material.Spec != expected)
        {
            throw KeyFormatErrors.Mismatch(material.Spec.Name, expected.Name);
        }

        material.ValidateWithPlatform();
        return new DecodedPublicKey(material.Spec, material.ToSpki());
    }

    /// <summary>
    /// Parses a stored public key strictly (<paramref name="spec"/> must match), without the platform import: enough
    /// to describe the key; <see cref="VerificationKey.Create(PublicKeyMaterial)"/> imports it once when it verifies.
    /// </summary>
    /// <exception cref="Errors.KeyFormatException">Anything wrong, with the error code that says what.</exception>
    public static PublicKeyMaterial Read(ReadOnlySpan<byte> data, KeyFormat format, KeySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var material = Parse(data, format, spec);
        if (material.Spec != spec)
        {
            throw KeyFormatErrors.Mismatch(material.Spec.Name, spec.Name);
        }

        return material;
    }

    /// <summary>Encodes a validated SPKI as PEM (UTF-8), DER, raw (uncompressed point or 32 bytes) or JWK (UTF-8 JSON).</summary>
    /// <exception cref="NotSupportedException">Raw for RSA.</exception>
    /// <exception cref="Errors.KeyFormatException">The SPKI is malformed or not of <paramref name="spec"/>.</exception>
    public static byte[] Encode(KeySpec spec, ReadOnlySpan<byte> spki, KeyFormat format)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var material = ReadSpki(spki);
        if (material.Spec != spec)
        {
            throw KeyFormatErrors.Mismatch(material.Spec.Name, spec.Name);
        }

        return format switch
        {
            KeyFormat.Pem => PemArmor.EncodePublicKey(material.ToSpki()),
            KeyFormat.Der => material.ToSpki(),
            KeyFormat.Raw => material.ToRaw(),
            KeyFormat.Jwk => material.ToJwk(),
            _ => throw KeyFormatErrors.UnsupportedFormat($"{format} is not a key format KeyInfra can write; use Pem, Der, Raw or Jwk."),
        };
    }

    /// <summary>Parses without the platform import: the structural checks only. Used by <see cref="VerificationKey.Create(KeySpec, ReadOnlySpan{byte})"/>.</summary>
    internal static PublicKeyMaterial ReadSpki(ReadOnlySpan<byte> spki)
    {
        if (spki.Length > MaxInputBytes)
        {
            throw KeyFormatErrors.TooLarge(spki.Length, MaxInputBytes);
        }

        return SpkiReader.Read(spki);
    }

    private static PublicKeyMaterial Parse(ReadOnlySpan<byte> data, KeyFormat format, KeySpec? expected)
    {
        if (data.Length > MaxInputBytes)
        {
            throw KeyFormatErrors.TooLarge(data.Length, MaxInputBytes);
        }

        switch (format)
        {
            case KeyFormat.Pem:
                return SpkiReader.Read(PemArmor.DecodePublicKey(data));
            case KeyFormat.Der:
                return SpkiReader.Read(data);
            case KeyFormat.Raw:
                // 32 bytes can only be an Ed25519 key (EC points are 33 or more); every other raw length needs the spec.
                return ParseRaw(data, expected ?? (data.Length == PublicKeyMaterial.Ed25519KeyBytes ? KeySpec.Ed25519 : throw KeyFormatErrors.RawNeedsSpec()));
            case KeyFormat.Jwk:
                throw KeyFormatErrors.UnsupportedFormat("JWK is an export format; import the key as PEM, DER or raw.");
            default:
                throw KeyFormatErrors.UnsupportedFormat($"{format} is not a key format; use Pem, Der or Raw.");
        }
    }

    private static PublicKeyMaterial ParseRaw(ReadOnlySpan<byte> data, KeySpec spec)
    {
        switch (spec.Algorithm)
        {
            case KeyAlgorithm.Ecdsa:
                var curve = EcCurveInfo.For(spec);
                var (x, y) = EcPointCodec.Decode(curve, data, inSpki: false);
                return PublicKeyMaterial.ForEcPoint(curve, x, y);
            case KeyAlgorithm.EdDsa:
                if (data.Length != PublicKeyMaterial.Ed25519KeyBytes)
                {
                    throw KeyFormatErrors.Raw($"A raw Ed25519 public key is {PublicKeyMaterial.Ed25519KeyBytes} bytes; got {data.Length}.");
                }

                return PublicKeyMaterial.ForEd25519(data);
            default:
                throw KeyFormatErrors.Raw("RSA public keys have no raw form; import PEM or DER (SubjectPublicKeyInfo).");
        }
    }
}
