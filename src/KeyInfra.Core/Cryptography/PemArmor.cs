using System.Security.Cryptography;
using System.Text;

namespace KeyInfra.Cryptography;

/// <summary>Strict reading and writing of the RFC 7468 "PUBLIC KEY" PEM armour.</summary>
internal static class PemArmor
{
    public const string PublicKeyLabel = "PUBLIC KEY";

    // Throws on invalid UTF-8 instead of replacing it with U+FFFD, so garbage is rejected rather than half-read.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Returns the DER inside exactly one PUBLIC KEY block surrounded only by whitespace.</summary>
    /// <exception cref="Errors.KeyFormatException">KI1001 for anything else.</exception>
    public static byte[] DecodePublicKey(ReadOnlySpan<byte> utf8)
    {
        string text;
        try
        {
            text = s_strictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw KeyFormatErrors.Pem("The PEM text is not valid UTF-8.");
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
                ? KeyFormatErrors.Pem("The PEM armour is malformed: the BEGIN and END lines do not match, or the Base64 between them is invalid.")
                : KeyFormatErrors.Pem("No PEM block was found.");
        }

        var before = span[..fields.Location.Start];
        var after = span[fields.Location.End..];
        if (!before.IsWhiteSpace())
        {
            throw KeyFormatErrors.Pem("There is text before the PEM block.");
        }

        if (!after.IsWhiteSpace())
        {
            throw after.Contains("-----BEGIN", StringComparison.Ordinal)
                ? KeyFormatErrors.Pem("The text holds more than one PEM block; import one key at a time.")
                : KeyFormatErrors.Pem("There is text after the PEM block.");
        }

        var label = span[fields.Label];
        if (!label.SequenceEqual(PublicKeyLabel))
        {
            // Labels are printable ASCII by PemEncoding's rules; shorten an absurd one before it reaches a log.
            throw KeyFormatErrors.Pem(DescribeWrongLabel(label.Length <= 64 ? label.ToString() : string.Concat(label[..64], "...")));
        }

        var base64 = span[fields.Base64Data];
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(base64, der, out var written) || written != der.Length)
        {
            throw KeyFormatErrors.Pem("The Base64 inside the PEM block is invalid.");
        }

        // Convert accepts non-zero bits in the last character before '=' (e.g. "QR==" for "QQ=="), which makes
        // several texts decode to one key. PemEncoding.TryFind rejects them today; this check does not rely on
        // that: only the canonical text, which re-encodes to itself, is accepted.
        if (!IsCanonicalBase64(base64, der))
        {
            throw KeyFormatErrors.Pem("The Base64 inside the PEM block is not canonical (non-zero padding bits).");
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
