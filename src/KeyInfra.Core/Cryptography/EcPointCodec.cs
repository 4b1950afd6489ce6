namespace KeyInfra.Cryptography;

/// <summary>
/// Reads SEC 1 (section 2.3.4) EC point encodings. Compressed points are decompressed with BouncyCastle,
/// because the BCL cannot import them; BouncyCastle also range-checks the coordinates and checks the point
/// is on the curve. The platform checks the point again when the key is imported.
/// </summary>
internal static class EcPointCodec
{
    /// <summary>Decodes <c>04‖X‖Y</c> or <c>02/03‖X</c> into fixed-length affine X and Y.</summary>
    /// <param name="curve">The curve the point must be on.</param>
    /// <param name="encoded">The point.</param>
    /// <param name="inSpki">Whether the point came from a SubjectPublicKeyInfo (KI1002 for a bad length) or raw (KI1003).</param>
    /// <exception cref="Errors.KeyFormatException">The encoding is malformed (KI1002/KI1003) or the point is invalid (KI1004).</exception>
    public static (byte[] X, byte[] Y) Decode(EcCurveInfo curve, ReadOnlySpan<byte> encoded, bool inSpki)
    {
        var fieldBytes = curve.FieldBytes;
        if (encoded.Length == 1 && encoded[0] == 0x00)
        {
            throw KeyFormatErrors.NotOnCurve(curve.Spec.Name);
        }

        var wellFormed = encoded.Length switch
        {
            _ when encoded.Length == 1 + (2 * fieldBytes) => encoded[0] == 0x04,
            _ when encoded.Length == 1 + fieldBytes => encoded[0] is 0x02 or 0x03,
            _ => false,
        };
        if (!wellFormed)
        {
            var problem = $"An {curve.Spec.Name} point must be {1 + (2 * fieldBytes)} bytes starting with 0x04 (uncompressed) or {1 + fieldBytes} bytes starting with 0x02 or 0x03 (compressed); got {encoded.Length} bytes" +
                          (encoded.Length > 0 ? $" starting with 0x{encoded[0]:X2}." : ".");
            throw inSpki ? KeyFormatErrors.Der(problem) : KeyFormatErrors.Raw(problem);
        }

        Org.BouncyCastle.Math.EC.ECPoint point;
        try
        {
            // DecodePoint rejects coordinates >= p, X values with no square root, and points not on the curve.
            point = curve.BouncyCastleCurve.Curve.DecodePoint(encoded.ToArray()).Normalize();
        }
        catch (ArgumentException e)
        {
            throw KeyFormatErrors.NotOnCurve(curve.Spec.Name, e);
        }

        if (point.IsInfinity)
        {
            throw KeyFormatErrors.NotOnCurve(curve.Spec.Name);
        }

        return (FixedLength(point.AffineXCoord.ToBigInteger().ToByteArrayUnsigned(), fieldBytes),
                FixedLength(point.AffineYCoord.ToBigInteger().ToByteArrayUnsigned(), fieldBytes));
    }

    /// <summary>Writes the uncompressed encoding <c>04‖X‖Y</c>.</summary>
    public static byte[] EncodeUncompressed(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var result = new byte[1 + x.Length + y.Length];
        result[0] = 0x04;
        x.CopyTo(result.AsSpan(1));
        y.CopyTo(result.AsSpan(1 + x.Length));
        return result;
    }

    private static byte[] FixedLength(byte[] value, int length)
    {
        if (value.Length == length)
        {
            return value;
        }

        // A coordinate below 2^(8(length-1)) has leading zero bytes that BigInteger drops.
        var result = new byte[length];
        value.CopyTo(result.AsSpan(length - value.Length));
        return result;
    }
}
