using System.Formats.Asn1;

namespace KeyInfra.Cryptography;

/// <summary>
/// Strict reading of a DER SubjectPublicKeyInfo (RFC 5280, section 4.1). AsnReader with DER rules rejects
/// BER (indefinite or long-form lengths where short form fits, non-minimal integers), truncation and
/// unused bits; trailing bytes after the outer SEQUENCE are rejected too.
/// </summary>
internal static class SpkiReader
{
    /// <exception cref="Errors.KeyFormatException">KI1002 for malformed DER, KI1007 for an unsupported algorithm or curve, and the key-specific codes.</exception>
    public static PublicKeyMaterial Read(ReadOnlySpan<byte> der)
    {
        string algorithm;
        Asn1Tag? parameterTag;
        string? curveOid = null;
        byte[] keyBits;
        try
        {
            // AsnReader works on memory; a key is small (the caller capped the size), so one copy is cheap.
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var spki = reader.ReadSequence();
            reader.ThrowIfNotEmpty();

            var algorithmIdentifier = spki.ReadSequence();
            algorithm = algorithmIdentifier.ReadObjectIdentifier();
            parameterTag = algorithmIdentifier.HasData ? algorithmIdentifier.PeekTag() : null;
            if (algorithm == Oids.EcPublicKey && parameterTag == Asn1Tag.ObjectIdentifier)
            {
                curveOid = algorithmIdentifier.ReadObjectIdentifier();
            }
            else if (algorithm == Oids.RsaEncryption && parameterTag == Asn1Tag.Null)
            {
                algorithmIdentifier.ReadNull();
            }
            else if (parameterTag is not null && algorithm is Oids.EcPublicKey or Oids.RsaEncryption or Oids.Ed25519)
            {
                throw ParameterError(algorithm, parameterTag.Value);
            }
            else if (parameterTag is not null)
            {
                // An algorithm we do not support: skip its parameters so the error names the algorithm.
                algorithmIdentifier.ReadEncodedValue();
            }

            algorithmIdentifier.ThrowIfNotEmpty();

            keyBits = spki.ReadBitString(out var unusedBits);
            if (unusedBits != 0)
            {
                throw KeyFormatErrors.Der("The public key BIT STRING has unused bits.");
            }

            spki.ThrowIfNotEmpty();
        }
        catch (AsnContentException e)
        {
            throw KeyFormatErrors.Der("The data is not a canonical DER SubjectPublicKeyInfo (truncated, BER-encoded, or with trailing bytes).", e);
        }

        switch (algorithm)
        {
            case Oids.EcPublicKey:
                if (curveOid is null)
                {
                    throw KeyFormatErrors.Der("An EC key must name its curve (namedCurve parameters); the parameters are missing.");
                }

                var curve = EcCurveInfo.FromOid(curveOid)
                            ?? throw KeyFormatErrors.Unsupported($"The EC curve {curveOid} is not supported.");
                var (x, y) = EcPointCodec.Decode(curve, keyBits, inSpki: true);
                return PublicKeyMaterial.ForEcPoint(curve, x, y);

            case Oids.RsaEncryption:
                if (parameterTag is null)
                {
                    throw KeyFormatErrors.Der("An rsaEncryption AlgorithmIdentifier must have NULL parameters; they are missing.");
                }

                return ReadRsaPublicKey(keyBits);

            case Oids.Ed25519:
                if (keyBits.Length != PublicKeyMaterial.Ed25519KeyBytes)
                {
                    throw KeyFormatErrors.Der($"An Ed25519 public key is {PublicKeyMaterial.Ed25519KeyBytes} bytes; this one is {keyBits.Length}.");
                }

                return PublicKeyMaterial.ForEd25519(keyBits);

            case Oids.RsaPss:
                throw KeyFormatErrors.Unsupported("RSASSA-PSS-restricted keys (id-RSASSA-PSS) are not supported; export the key as rsaEncryption, PSS can still be used to sign.");
            case Oids.Ed448:
                throw KeyFormatErrors.Unsupported("Ed448 keys are not supported.");
            default:
                throw KeyFormatErrors.Unsupported($"The key algorithm {algorithm} is not supported.");
        }
    }

    private static PublicKeyMaterial ReadRsaPublicKey(byte[] keyBits)
    {
        ReadOnlyMemory<byte> modulus;
        ReadOnlyMemory<byte> exponent;
        try
        {
            var reader = new AsnReader(keyBits, AsnEncodingRules.DER);
            var rsaPublicKey = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            modulus = rsaPublicKey.ReadIntegerBytes();
            exponent = rsaPublicKey.ReadIntegerBytes();
            rsaPublicKey.ThrowIfNotEmpty();
        }
        catch (AsnContentException e)
        {
            throw KeyFormatErrors.Der("The RSAPublicKey inside the SubjectPublicKeyInfo is not canonical DER.", e);
        }

        if ((modulus.Span[0] & 0x80) != 0 || (exponent.Span[0] & 0x80) != 0)
        {
            throw KeyFormatErrors.WeakRsa("The RSA modulus or exponent is negative.");
        }

        return PublicKeyMaterial.ForRsa(modulus.Span, exponent.Span);
    }

    private static Errors.KeyFormatException ParameterError(string algorithm, Asn1Tag tag) => algorithm switch
    {
        Oids.EcPublicKey when tag == Asn1Tag.Sequence =>
            KeyFormatErrors.Unsupported("Explicit EC curve parameters are not supported; the key must name its curve (namedCurve OID)."),
        Oids.EcPublicKey =>
            KeyFormatErrors.Der("An EC key's parameters must be a namedCurve OID."),
        Oids.RsaEncryption =>
            KeyFormatErrors.Der("An rsaEncryption AlgorithmIdentifier must have NULL parameters."),
        _ =>
            KeyFormatErrors.Der("An Ed25519 AlgorithmIdentifier must have no parameters (RFC 8410)."),
    };
}
