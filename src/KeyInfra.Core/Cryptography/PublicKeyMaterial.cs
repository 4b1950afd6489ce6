using System.Buffers;
using System.Buffers.Text;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text.Json;
using KeyInfra.Keys;
using BcEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace KeyInfra.Cryptography;

/// <summary>
/// The parts of a public key that passed the structural checks: the EC point, the RSA modulus and exponent,
/// or the Ed25519 key. Writes every encoding and creates the platform key objects.
/// </summary>
internal sealed class PublicKeyMaterial
{
    /// <summary>The Ed25519 public key size in bytes.</summary>
    public const int Ed25519KeyBytes = 32;

    private const int MaxRsaExponentBytes = 8;

    // FIPS 186-5's floor: e > 2^16.
    private const ulong MinRsaExponent = 65537;

    private PublicKeyMaterial(KeySpec spec)
    {
        Spec = spec;
    }

    public KeySpec Spec { get; }

    /// <summary>The curve (ECDSA only).</summary>
    public EcCurveInfo? Curve { get; private init; }

    /// <summary>Affine X, fixed length (ECDSA only).</summary>
    public byte[]? X { get; private init; }

    /// <summary>Affine Y, fixed length (ECDSA only).</summary>
    public byte[]? Y { get; private init; }

    /// <summary>The modulus, unsigned big-endian without leading zeros (RSA only).</summary>
    public byte[]? Modulus { get; private init; }

    /// <summary>The public exponent, unsigned big-endian without leading zeros (RSA only).</summary>
    public byte[]? Exponent { get; private init; }

    /// <summary>The 32-byte key (Ed25519 only).</summary>
    public byte[]? Ed25519Key { get; private init; }

    /// <summary>An EC point (already decoded and range-checked by <see cref="EcPointCodec"/>).</summary>
    public static PublicKeyMaterial ForEcPoint(EcCurveInfo curve, byte[] x, byte[] y) =>
        new(curve.Spec) { Curve = curve, X = x, Y = y };

    /// <summary>An RSA key, after the size and exponent rules.</summary>
    /// <param name="modulus">Unsigned big-endian; leading zero bytes are ignored.</param>
    /// <param name="exponent">Unsigned big-endian; leading zero bytes are ignored.</param>
    /// <exception cref="Errors.KeyFormatException">KI1006 for a weak or unsupported key.</exception>
    public static PublicKeyMaterial ForRsa(ReadOnlySpan<byte> modulus, ReadOnlySpan<byte> exponent)
    {
        modulus = TrimLeadingZeros(modulus);
        exponent = TrimLeadingZeros(exponent);
        if (modulus.IsEmpty)
        {
            throw KeyFormatErrors.WeakRsa("The RSA modulus is zero.");
        }

        var bits = ((modulus.Length - 1) * 8) + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[0]));
        if (bits is < KeySpec.MinRsaKeySizeBits or > KeySpec.MaxRsaKeySizeBits)
        {
            throw KeyFormatErrors.WeakRsa($"The RSA modulus is {bits} bits.");
        }

        if (bits % 8 != 0)
        {
            // KeySpec.Rsa needs whole bytes; 2047- or 3071-bit moduli come from broken generators.
            throw KeyFormatErrors.WeakRsa($"The RSA modulus is {bits} bits, not a whole number of bytes.");
        }

        if ((modulus[^1] & 1) == 0)
        {
            throw KeyFormatErrors.WeakRsa("The RSA modulus is even, so it is not a product of two odd primes.");
        }

        if (exponent.Length > MaxRsaExponentBytes)
        {
            throw KeyFormatErrors.WeakRsa($"The RSA public exponent is {exponent.Length} bytes long.");
        }

        // FIPS 186-5 (5.4): 2^16 < e < 2^256, odd. Small exponents (3, 17) invite the low-exponent attacks on
        // broken padding checks (Bleichenbacher's 2006 e=3 forgery), and no current generator makes them.
        var value = 0UL;
        foreach (var b in exponent)
        {
            value = (value << 8) | b;
        }

        if (value < MinRsaExponent)
        {
            throw KeyFormatErrors.WeakRsa($"The RSA public exponent is {value}; FIPS 186-5 requires at least 65537. Generate the key again with e = 65537.");
        }

        if ((exponent[^1] & 1) == 0)
        {
            throw KeyFormatErrors.WeakRsa("The RSA public exponent is even.");
        }

        return new(KeySpec.Rsa(bits)) { Modulus = modulus.ToArray(), Exponent = exponent.ToArray() };
    }

    /// <summary>An Ed25519 key, checked to be a canonical encoding of a point of the prime-order subgroup.</summary>
    /// <exception cref="Errors.KeyFormatException">KI1004 for an invalid point.</exception>
    public static PublicKeyMaterial ForEd25519(ReadOnlySpan<byte> key)
    {
        // ValidatePublicKeyFull rejects non-canonical y, encodings that are not points, the identity
        // and points of small order (which would let signatures verify under many keys).
        if (key.Length != Ed25519KeyBytes || !BcEd25519.ValidatePublicKeyFull(key))
        {
            throw KeyFormatErrors.NotOnCurve("Ed25519");
        }

        return new(KeySpec.Ed25519) { Ed25519Key = key.ToArray() };
    }

    /// <summary>The canonical DER SubjectPublicKeyInfo: named curve and uncompressed point; rsaEncryption with NULL parameters; Ed25519 without parameters.</summary>
    public byte[] ToSpki()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                switch (Spec.Algorithm)
                {
                    case KeyAlgorithm.Ecdsa:
                        writer.WriteObjectIdentifier(Oids.EcPublicKey);
                        writer.WriteObjectIdentifier(Curve!.Oid);
                        break;
                    case KeyAlgorithm.Rsa:
                        writer.WriteObjectIdentifier(Oids.RsaEncryption);
                        writer.WriteNull();
                        break;
                    default:
                        writer.WriteObjectIdentifier(Oids.Ed25519);
                        break;
                }
            }

            writer.WriteBitString(Spec.Algorithm switch
            {
                KeyAlgorithm.Ecdsa => EcPointCodec.EncodeUncompressed(X, Y),
                KeyAlgorithm.Rsa => RsaPublicKeyDer(),
                _ => Ed25519Key,
            });
        }

        return writer.Encode();
    }

    /// <summary>The raw key: the uncompressed point, or the 32-byte Ed25519 key.</summary>
    /// <exception cref="NotSupportedException">RSA, which has no raw form.</exception>
    public byte[] ToRaw() => Spec.Algorithm switch
    {
        KeyAlgorithm.Ecdsa => EcPointCodec.EncodeUncompressed(X, Y),
        KeyAlgorithm.EdDsa => (byte[])Ed25519Key!.Clone(),
        _ => throw new NotSupportedException("RSA public keys have no raw form; export PEM, DER or JWK."),
    };

    /// <summary>
    /// The JWK as UTF-8 JSON with only the required members, in lexicographic order (so the output is also
    /// the RFC 7638 thumbprint input): EC <c>crv,kty,x,y</c>; RSA <c>e,kty,n</c>; OKP <c>crv,kty,x</c>.
    /// </summary>
    public byte[] ToJwk()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            switch (Spec.Algorithm)
            {
                case KeyAlgorithm.Ecdsa:
                    json.WriteString("crv", Curve!.JwkName);
                    json.WriteString("kty", "EC");
                    json.WriteString("x", Base64Url.EncodeToString(X));
                    json.WriteString("y", Base64Url.EncodeToString(Y));
                    break;
                case KeyAlgorithm.Rsa:
                    json.WriteString("e", Base64Url.EncodeToString(Exponent));
                    json.WriteString("kty", "RSA");
                    json.WriteString("n", Base64Url.EncodeToString(Modulus));
                    break;
                default:
                    json.WriteString("crv", "Ed25519");
                    json.WriteString("kty", "OKP");
                    json.WriteString("x", Base64Url.EncodeToString(Ed25519Key));
                    break;
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Imports the point into a new platform ECDsa; OpenSSL checks the point is on the curve.</summary>
    /// <exception cref="Errors.KeyFormatException">KI1004 when the platform rejects the point.</exception>
    public ECDsa CreateEcdsa()
    {
        var parameters = new ECParameters
        {
            Curve = Curve!.CreatePlatformCurve(),
            Q = new ECPoint { X = X, Y = Y },
        };
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportParameters(parameters);
            return ecdsa;
        }
        catch (CryptographicException e)
        {
            ecdsa.Dispose();
            throw KeyFormatErrors.NotOnCurve(Spec.Name, e);
        }
    }

    /// <summary>Imports the modulus and exponent into a new platform RSA.</summary>
    /// <exception cref="Errors.KeyFormatException">KI1006 when the platform rejects the key.</exception>
    public RSA CreateRsa()
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(new RSAParameters { Modulus = Modulus, Exponent = Exponent });
            return rsa;
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            throw new Errors.KeyFormatException(Errors.ErrorCodes.WeakOrUnsupportedRsaKey, "The platform rejected the RSA public key.", e);
        }
    }

    /// <summary>Imports the key into the platform once and discards it: the final validation of a decoded key.</summary>
    public void ValidateWithPlatform()
    {
        switch (Spec.Algorithm)
        {
            case KeyAlgorithm.Ecdsa:
                CreateEcdsa().Dispose();
                break;
            case KeyAlgorithm.Rsa:
                CreateRsa().Dispose();
                break;
            default:
                // Already validated by BouncyCastle in ForEd25519; NSec's import only copies the bytes.
                break;
        }
    }

    private byte[] RsaPublicKeyDer()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Modulus);
            writer.WriteIntegerUnsigned(Exponent);
        }

        return writer.Encode();
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        var i = value.IndexOfAnyExcept((byte)0);
        return i < 0 ? [] : value[i..];
    }
}
