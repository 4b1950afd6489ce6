using System.Formats.Asn1;

namespace KeyInfra.Cryptography;

/// <summary>
/// Strict conversion of a DER ECDSA signature (RFC 3279: <c>SEQUENCE { r INTEGER, s INTEGER }</c>) to the
/// fixed-length IEEE P1363 form <c>r‖s</c> the platform verifies. Only canonical DER is accepted, so every
/// valid signature has exactly one encoding (no malleability through re-encoding).
/// </summary>
internal static class EcdsaSignatureEncoding
{
    /// <summary>
    /// The longest canonical DER signature on a curve of <paramref name="fieldBytes"/>-byte field elements: two INTEGERs
    /// of the field length plus a 0x00 that keeps them positive, each with its tag and length, in a SEQUENCE.
    /// (P-256: 72 bytes; P-384: 104; P-521: 141.)
    /// </summary>
    public static int MaxDerLength(int fieldBytes)
    {
        var integer = fieldBytes + 1;
        var integerTlv = 1 + LengthOfLength(integer) + integer;
        var content = 2 * integerTlv;
        return 1 + LengthOfLength(content) + content;
    }

    /// <summary>Encodes a P1363 <c>r‖s</c> as canonical DER.</summary>
    public static byte[] P1363ToDer(ReadOnlySpan<byte> p1363)
    {
        var half = p1363.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(p1363[..half]));
            writer.WriteIntegerUnsigned(Minimal(p1363[half..]));
        }

        return writer.Encode();
    }

    /// <summary>
    /// Whether the s of a P1363 signature is above n/2 (a "high-S" signature). For every valid (r, s) the pair
    /// (r, n − s) is valid too; a key that requires low S (as Bitcoin does, BIP 62/146) accepts only the half of the
    /// pair with s ≤ n/2, so each signature has one form.
    /// </summary>
    public static bool IsHighS(ReadOnlySpan<byte> p1363, EcCurveInfo curve)
    {
        var s = p1363[(p1363.Length / 2)..];
        return s.SequenceCompareTo(curve.HalfOrder) > 0;
    }

    /// <summary>Replaces a high s by n − s in <paramref name="p1363"/>; a low s is left as it is.</summary>
    public static void NormalizeToLowS(Span<byte> p1363, EcCurveInfo curve)
    {
        if (!IsHighS(p1363, curve))
        {
            return;
        }

        var s = p1363[(p1363.Length / 2)..];
        var n = new System.Numerics.BigInteger(curve.Order, isUnsigned: true, isBigEndian: true);
        var low = n - new System.Numerics.BigInteger(s, isUnsigned: true, isBigEndian: true);
        s.Clear();
        var length = low.GetByteCount(isUnsigned: true);
        low.TryWriteBytes(s[^length..], out _, isUnsigned: true, isBigEndian: true);
    }

    // DER integers are minimal: WriteIntegerUnsigned refuses leading zero bytes (r or s is shorter than the field 1 in 256 times).
    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }

    private static int LengthOfLength(int length) => length < 0x80 ? 1 : length < 0x100 ? 2 : 3;

    /// <summary>
    /// Converts <paramref name="der"/> into <paramref name="p1363"/> (exactly <c>2 × fieldBytes</c> long).
    /// False when the DER is not canonical, has trailing bytes, or r or s is not positive or longer than the field.
    /// </summary>
    public static bool TryDerToP1363(ReadOnlySpan<byte> der, int fieldBytes, Span<byte> p1363)
    {
        // Hand-rolled reads would be easy to get subtly wrong; AsnDecoder enforces DER (minimal lengths,
        // minimal integers) on spans without allocating.
        try
        {
            AsnDecoder.ReadSequence(der, AsnEncodingRules.DER, out var contentOffset, out var contentLength, out var consumed);
            if (consumed != der.Length)
            {
                return false;
            }

            var content = der.Slice(contentOffset, contentLength);
            var r = AsnDecoder.ReadIntegerBytes(content, AsnEncodingRules.DER, out var rConsumed);
            content = content[rConsumed..];
            var s = AsnDecoder.ReadIntegerBytes(content, AsnEncodingRules.DER, out var sConsumed);
            if (sConsumed != content.Length)
            {
                return false;
            }

            return TryCopyPositive(r, p1363[..fieldBytes]) && TryCopyPositive(s, p1363.Slice(fieldBytes, fieldBytes));
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static bool TryCopyPositive(ReadOnlySpan<byte> integer, Span<byte> destination)
    {
        // DER integers are two's complement and minimal: a set top bit is negative, a single 0x00 is zero,
        // and one leading 0x00 is allowed only to keep a positive value's top bit clear.
        if ((integer[0] & 0x80) != 0)
        {
            return false;
        }

        if (integer[0] == 0)
        {
            integer = integer[1..];
            if (integer.IsEmpty)
            {
                return false;
            }
        }

        if (integer.Length > destination.Length)
        {
            return false;
        }

        destination[..^integer.Length].Clear();
        integer.CopyTo(destination[^integer.Length..]);
        return true;
    }
}
