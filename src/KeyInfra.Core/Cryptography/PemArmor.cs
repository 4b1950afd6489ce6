using System.Security.Cryptography;
using System.Text;

namespace KeyInfra.Cryptography;

/// <summary>Strict reading of RFC 7468 PEM armour (one block, only whitespace around it, canonical Base64), and writing of "PUBLIC KEY" blocks.</summary>
internal static class PemArmor
{
    public const string PublicKeyLabel = "PUBLIC KEY";

    // Throws on invalid UTF-8 instead of replacing it with U+FFFD, so garbage is rejected rather than half-read.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Returns the DER inside exactly one PUBLIC KEY block surrounded only by whitespace.</summary>
    /// <exception cref="Errors.KeyFormatException">KI1001 for anything else.</exception>
    public static byte[] DecodePublicKey(ReadOnlySpan<byte> utf8)
        => Decode(utf8, label => label.SequenceEqual(PublicKeyLabel) ? null : DescribeWrongLabel(label.ToString()), "import one key at a time", KeyFormatErrors.Pem);

    /// <summary>
    /// Returns the DER inside exactly one PEM block surrounded only by whitespace, whose label <paramref name="checkLabel"/>
    /// accepts (it returns <c>null</c>, or why not); every other text fails with <paramref name="error"/>'s exception.
    /// </summary>
    /// <param name="utf8">The text.</param>
    /// <param name="checkLabel">Checks the block's label (at most 64 characters, printable ASCII).</param>
    /// <param name="oneAtATime">The advice for a text of several blocks ("import one key at a time").</param>
    /// <param name="error">Makes the exception for a message.</param>
    public static byte[] Decode(ReadOnlySpan<byte> utf8, Func<ReadOnlySpan<char>, string?> checkLabel, string oneAtATime, Func<string, Exception> error)
    {
        string text;
        try
        {
            text = s_strictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw error("The PEM text is not valid UTF-8.");
        }

        // A BOM is not whitespace to PEM readers but editors add it; tolerate exactly one at the start.
        var span = text.AsSpan();
        if (span.Length > 0 && span[0] == '\uFEFF')
        {
            span = span[1..];
        }

        if (!PemEncoding.TryFind(span, out var fields))
        {
            throw span.Contains("-----BEGIN", StringComparison.Ordinal)
                ? error("The PEM armour is malformed: the BEGIN and END lines do not match, or the Base64 between them is invalid.")
                : error("No PEM block was found.");
        }

        var before = span[..fields.Location.Start];
        var after = span[fields.Location.End..];
        if (!before.IsWhiteSpace())
        {
            throw error("There is text before the PEM block.");
        }

        if (!after.IsWhiteSpace())
        {
            throw after.Contains("-----BEGIN", StringComparison.Ordinal)
                ? error($"The text holds more than one PEM block; {oneAtATime}.")
                : error("There is text after the PEM block.");
        }

        // Labels are printable ASCII by PemEncoding's rules; shorten an absurd one before it reaches a log.
        var label = span[fields.Label];
        var shown = label.Length <= 64 ? label : string.Concat(label[..64], "...").AsSpan();
        if (checkLabel(shown) is { } wrongLabel)
        {
            throw error(wrongLabel);
        }

        var base64 = span[fields.Base64Data];
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(base64, der, out var written) || written != der.Length)
        {
            throw error("The Base64 inside the PEM block is invalid.");
        }

        // Convert accepts non-zero bits in the last character before '=' (e.g. "QR==" for "QQ=="), which makes
        // several texts decode to one key. PemEncoding.TryFind rejects them today; this check does not rely on
        // that: only the canonical text, which re-encodes to itself, is accepted.
        if (!IsCanonicalBase64(base64, der))
        {
            throw error("The Base64 inside the PEM block is not canonical (non-zero padding bits).");
        }

        return der;
    }

    /// <summary>Writes DER as a PUBLIC KEY block: 64-character lines, LF line ends, a final LF; UTF-8 (ASCII) bytes.</summary>
    public static byte[] EncodePublicKey(ReadOnlySpan<byte> der)
    {
        var chars = PemEncoding.Write(PublicKeyLabel, der);
        var bytes = new byte[Encoding.ASCII.GetByteCount(chars) + 1];
        Encoding.ASCII.GetBytes(chars, bytes);
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    private static bool IsCanonicalBase64(ReadOnlySpan<char> base64WithWhitespace, byte[] decoded)
    {
        var canonical = Convert.ToBase64String(decoded).AsSpan();
        var j = 0;
        foreach (var c in base64WithWhitespace)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (j >= canonical.Length || canonical[j] != c)
            {
                return false;
            }

            j++;
        }

        return j == canonical.Length;
    }

    private static string DescribeWrongLabel(string label)
    {
        if (label.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            return $"The PEM block is a '{label}': this is a private key, import only public keys. Extract the public key with 'openssl pkey -pubout'.";
        }

        return label switch
        {
            "RSA PUBLIC KEY" => "The PEM block is a PKCS#1 'RSA PUBLIC KEY'. Convert it to a SubjectPublicKeyInfo 'PUBLIC KEY' with 'openssl rsa -RSAPublicKey_in -pubout'.",
            "CERTIFICATE" => "The PEM block is a certificate. Extract its public key with 'openssl x509 -pubkey -noout'.",
            _ => $"The PEM block is labelled '{label}', not 'PUBLIC KEY'.",
        };
    }
}
