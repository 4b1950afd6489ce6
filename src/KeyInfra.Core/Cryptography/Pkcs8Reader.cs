using System.Formats.Asn1;
using System.Security.Cryptography;
using KeyInfra.Keys;

namespace KeyInfra.Cryptography;

/// <summary>
/// Strict structural checks of an unencrypted PKCS#8 PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958,
/// RFC 8410) against the key spec it is declared as, before the key reaches the platform's importer
/// (which is more lenient: it accepts BER).
/// </summary>
internal static class Pkcs8Reader
{
    private const int MaxPkcs8Bytes = 16 * 1024;

    private static readonly Asn1Tag s_attributesTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag s_publicKeyTag = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag s_ecParametersTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag s_ecPublicKeyTag = new(TagClass.ContextSpecific, 1, isConstructed: true);

    /// <summary>
    /// Checks <paramref name="pkcs8"/> and, for Ed25519, returns the 32-byte seed (the caller zeroes it);
    /// for ECDSA and RSA returns <c>null</c> (the platform imports the whole PKCS#8).
    /// </summary>
    /// <exception cref="Errors.KeyFormatException">KI1010 for malformed DER or another key type; KI1006 for a weak RSA key.</exception>
    public static byte[]? Check(KeySpec spec, ReadOnlySpan<byte> pkcs8)
    {
        if (pkcs8.Length > MaxPkcs8Bytes)
        {
            throw KeyFormatErrors.PrivateKey($"The private key is {pkcs8.Length} bytes, larger than any supported key.");
        }

        var copy = pkcs8.ToArray();
        try
        {
            return CheckCore(spec, copy);
        }
        catch (AsnContentException e)
        {
            throw KeyFormatErrors.PrivateKey("The private key is not canonical DER (truncated, BER-encoded, or with trailing bytes).", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    private static byte[]? CheckCore(KeySpec spec, byte[] pkcs8)
    {
        var reader = new AsnReader(pkcs8, AsnEncodingRules.DER);
        var info = reader.ReadSequence();
        reader.ThrowIfNotEmpty();

        if (!info.TryReadInt32(out var version) || version is not (0 or 1))
        {
            throw KeyFormatErrors.PrivateKey("The PKCS#8 version must be 0 or 1.");
        }

        var algorithmIdentifier = info.ReadSequence();
        var algorithm = algorithmIdentifier.ReadObjectIdentifier();
        string? curveOid = null;
        switch (algorithm)
        {
            case Oids.EcPublicKey:
                curveOid = algorithmIdentifier.ReadObjectIdentifier();
                break;
            case Oids.RsaEncryption:
                algorithmIdentifier.ReadNull();
                break;
            case Oids.Ed25519:
                break;
            default:
                throw KeyFormatErrors.PrivateKey($"The private key algorithm {algorithm} is not supported.");
        }

        algorithmIdentifier.ThrowIfNotEmpty();

        var expectedAlgorithm = spec.Algorithm switch
        {
            KeyAlgorithm.Ecdsa => Oids.EcPublicKey,
            KeyAlgorithm.Rsa => Oids.RsaEncryption,
            _ => Oids.Ed25519,
        };
        if (algorithm != expectedAlgorithm || (curveOid is not null && curveOid != EcCurveInfo.For(spec).Oid))
        {
            throw KeyFormatErrors.PrivateKey($"The private key is not a {spec.Name} key.");
        }

        if (!info.TryReadPrimitiveOctetString(out var privateKey))
        {
            throw KeyFormatErrors.PrivateKey("The PKCS#8 privateKey is not a primitive OCTET STRING.");
        }

        if (info.HasData && info.PeekTag().HasSameClassAndValue(s_attributesTag))
        {
            info.ReadEncodedValue();
        }

        ReadOnlyMemory<byte>? publicKey = null;
        if (info.HasData && version == 1 && spec.Algorithm == KeyAlgorithm.EdDsa)
        {
            publicKey = info.ReadBitString(out var unusedBits, s_publicKeyTag);
            if (unusedBits != 0)
            {
                throw KeyFormatErrors.PrivateKey("The PKCS#8 publicKey has unused bits.");
            }
        }

        info.ThrowIfNotEmpty();

        switch (spec.Algorithm)
        {
            case KeyAlgorithm.Ecdsa:
                CheckEcPrivateKey(EcCurveInfo.For(spec), privateKey);
                return null;
            case KeyAlgorithm.Rsa:
                CheckRsaPrivateKey(spec, privateKey);
                return null;
            default:
                return ReadEd25519Seed(privateKey, publicKey);
        }
    }

    private static void CheckEcPrivateKey(EcCurveInfo curve, ReadOnlyMemory<byte> ecPrivateKey)
    {
        // RFC 5915: ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }
        var reader = new AsnReader(ecPrivateKey, AsnEncodingRules.DER);
        var key = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        if (!key.TryReadInt32(out var version) || version != 1)
        {
            throw KeyFormatErrors.PrivateKey("The ECPrivateKey version must be 1.");
        }

        if (!key.TryReadPrimitiveOctetString(out var d) || d.Length != curve.FieldBytes || !d.Span.ContainsAnyExcept((byte)0))
        {
            throw KeyFormatErrors.PrivateKey($"The EC private scalar must be {curve.FieldBytes} bytes and not zero.");
        }

        if (key.HasData && key.PeekTag().HasSameClassAndValue(s_ecParametersTag))
        {
            var parameters = key.ReadSequence(s_ecParametersTag);
            if (parameters.ReadObjectIdentifier() != curve.Oid)
            {
                throw KeyFormatErrors.PrivateKey($"The ECPrivateKey names another curve than {curve.Spec.Name}.");
            }

            parameters.ThrowIfNotEmpty();
        }

        if (key.HasData && key.PeekTag().HasSameClassAndValue(s_ecPublicKeyTag))
        {
            var publicKey = key.ReadSequence(s_ecPublicKeyTag);
            var point = publicKey.ReadBitString(out var unusedBits);
            publicKey.ThrowIfNotEmpty();
            if (unusedBits != 0)
            {
                throw KeyFormatErrors.PrivateKey("The ECPrivateKey publicKey has unused bits.");
            }

            // Validates the embedded public point; the platform checks it matches the scalar on import.
            EcPointCodec.Decode(curve, point, inSpki: true);
        }

        key.ThrowIfNotEmpty();
    }

    private static void CheckRsaPrivateKey(KeySpec spec, ReadOnlyMemory<byte> rsaPrivateKey)
    {
        // RFC 8017 A.1.2: two-prime keys only (version 0); every component a positive INTEGER.
        var reader = new AsnReader(rsaPrivateKey, AsnEncodingRules.DER);
        var key = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        if (!key.TryReadInt32(out var version) || version != 0)
        {
            throw KeyFormatErrors.PrivateKey("Only two-prime RSA private keys (version 0) are supported.");
        }

        ReadOnlySpan<byte> modulus = default;
        ReadOnlySpan<byte> exponent = default;
        for (var i = 0; i < 8; i++)
        {
            var component = key.ReadIntegerBytes().Span;
            if ((component[0] & 0x80) != 0)
            {
                throw KeyFormatErrors.PrivateKey("An RSA private key component is negative.");
            }

            if (i == 0)
            {
                modulus = component;
            }
            else if (i == 1)
            {
                exponent = component;
            }
        }

        key.ThrowIfNotEmpty();
        var material = PublicKeyMaterial.ForRsa(modulus, exponent);
        if (material.Spec != spec)
        {
            throw KeyFormatErrors.PrivateKey($"The private key is a {material.Spec.Name} key, not {spec.Name}.");
        }
    }

    private static byte[] ReadEd25519Seed(ReadOnlyMemory<byte> curvePrivateKey, ReadOnlyMemory<byte>? publicKey)
    {
        // RFC 8410: CurvePrivateKey ::= OCTET STRING (the 32-byte seed), itself inside the PKCS#8 OCTET STRING.
        var reader = new AsnReader(curvePrivateKey, AsnEncodingRules.DER);
        if (!reader.TryReadPrimitiveOctetString(out var seed) || seed.Length != 32)
        {
            throw KeyFormatErrors.PrivateKey("An Ed25519 private key must be a 32-byte OCTET STRING.");
        }

        reader.ThrowIfNotEmpty();
        if (publicKey is { } embedded)
        {
            var derived = new byte[32];
            Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.GeneratePublicKey(seed.Span, derived);
            if (!CryptographicOperations.FixedTimeEquals(derived, embedded.Span))
            {
                throw KeyFormatErrors.PrivateKey("The Ed25519 public key in the PKCS#8 does not match the private key.");
            }
        }

        return seed.ToArray();
    }
}
