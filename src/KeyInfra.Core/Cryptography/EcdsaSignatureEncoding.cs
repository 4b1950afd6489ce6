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
