using System.Globalization;
using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Input;

/// <summary>
/// Turns command-line text into KeyInfra values, strictly: every failure is a <see cref="UsageException"/>
/// naming the option, the problem and the fix. Sizes are checked before anything is read or decoded.
/// </summary>
internal static class InputParser
{
    /// <summary>The largest document <c>sign</c> and <c>verify</c> read (KeyInfra's default MaxDocumentSize).</summary>
    public const int MaxDocumentBytes = 64 * 1024 * 1024;

    /// <summary>
    /// The largest signature accepted: an RSA-4096 signature is 512 bytes and a DER ECDSA P-521 one 139, so
    /// anything over 1 KiB cannot be a signature and is refused before it is decoded.
    /// </summary>
    public const int MaxSignatureBytes = 1024;

    /// <summary>The largest public key file accepted for import (an RSA-4096 PEM is under 1 KiB).</summary>
    public const int MaxKeyFileBytes = 64 * 1024;

    public static KeyId ParseKeyId(string? text, string what)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException($"{what} is missing: give a key id (a UUID as printed by 'keys list').");
        }

        if (!KeyId.TryParse(text, out var id))
        {
            throw new UsageException($"{what} '{Shorten(text)}' is not a key id: a key id is a UUID such as 0193a6f2-7c1e-7d3a-9b2f-5e4c3d2b1a09; run 'keys list' to see them.");
        }

        return id;
    }

    public static KeySpec ParseSpec(string text, string option)
    {
        foreach (var spec in KeySpec.All)
        {
            if (string.Equals(spec.Name, text, StringComparison.OrdinalIgnoreCase))
            {
                return spec;
            }
        }

        throw new UsageException($"{option} '{Shorten(text)}' is not a key type. Use one of: {string.Join(", ", KeySpec.All.Select(s => s.Name))}.");
    }

    /// <summary>
    /// Parses an enum value written in kebab case (<c>invalid-signature</c>) or as its C# name
    /// (<c>InvalidSignature</c>), case-insensitively; numbers are refused.
    /// </summary>
    public static T ParseEnum<T>(string text, string option)
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(Names.Kebab(value), text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new UsageException($"{option} '{Shorten(text)}' is not valid. Use one of: {string.Join(", ", Enum.GetValues<T>().Select(v => Names.Kebab(v)))}.");
    }

    public static HashAlgorithmName ParseHash(string text, string option)
        => text.ToUpperInvariant() switch
        {
            "SHA256" or "SHA-256" => HashAlgorithmName.SHA256,
            "SHA384" or "SHA-384" => HashAlgorithmName.SHA384,
            "SHA512" or "SHA-512" => HashAlgorithmName.SHA512,
            _ => throw new UsageException($"{option} '{Shorten(text)}' is not a supported hash. Use sha256, sha384 or sha512."),
        };

    public static DateTimeOffset ParseTimestamp(string text, string option)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            throw new UsageException($"{option} '{Shorten(text)}' is not an ISO-8601 date and time. Write it like 2027-01-31T00:00:00Z.");
        }

        return value;
    }

    /// <summary>
    /// Decodes canonical Base64 only (no whitespace, correct padding), so one signature has exactly one
    /// textual form, and refuses anything longer than <paramref name="maxBytes"/> before decoding it.
    /// </summary>
    public static byte[] ParseBase64(string text, string what, int maxBytes)
    {
        if (text.Length == 0)
        {
            throw new UsageException($"{what} is empty: give the Base64 text.");
        }

        if (text.Length > (maxBytes + 2) / 3 * 4)
        {
            throw new UsageException($"{what} is too long: at most {maxBytes} bytes are accepted.");
        }

        var buffer = new byte[text.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written)
            || !string.Equals(Convert.ToBase64String(buffer, 0, written), text, StringComparison.Ordinal))
        {
            throw new UsageException($"{what} is not valid Base64: use standard Base64 (A–Z, a–z, 0–9, '+', '/', '=' padding) with no spaces or line breaks, as 'sign' prints it.");
        }

        return buffer.AsSpan(0, written).ToArray();
    }

    /// <summary>Reads a whole file, refusing a missing file or one larger than <paramref name="maxBytes"/> before reading it.</summary>
    public static byte[] ReadFile(string path, string workingDirectory, string option, int maxBytes)
    {
        var fullPath = Path.GetFullPath(path, workingDirectory);
        var info = new FileInfo(fullPath);
        if (!info.Exists)
        {
            throw new UsageException($"{option}: the file '{path}' does not exist. Check the path (relative paths start in {workingDirectory}).");
        }

        if (info.Length > maxBytes)
        {
            throw new UsageException($"{option}: the file '{path}' is {info.Length} bytes, over the {maxBytes}-byte limit.");
        }

        try
        {
            return File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: the file '{path}' could not be read ({e.Message}).", e);
        }
    }

    /// <summary>Reads a stream to its end, refusing more than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadStreamAsync(Stream stream, string what, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new UsageException($"{what} is over the {maxBytes}-byte limit.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Resolves the document of <c>sign</c>/<c>verify</c>: exactly one of <c>--in</c> and <c>--text</c>.</summary>
    public static byte[] ReadDocument(string? inFile, string? text, string workingDirectory)
    {
        if (inFile is not null && text is not null)
        {
            throw new UsageException("Give the document either with --in <file> or with --text <text>, not both.");
        }

        if (inFile is not null)
        {
            return ReadFile(inFile, workingDirectory, "--in", MaxDocumentBytes);
        }

        if (text is not null)
        {
            return System.Text.Encoding.UTF8.GetBytes(text);
        }

        throw new UsageException("No document: give it with --in <file> or --text <text>.");
    }

    /// <summary>A PKCS#11 object id (CKA_ID) in hexadecimal: an even number of hex digits, 1 to <paramref name="maxBytes"/> bytes; returned lower-case.</summary>
    public static string ParseHexId(string text, string option, int maxBytes)
    {
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (hex.Length == 0 || hex.Length % 2 != 0 || hex.Length > 2 * maxBytes || !hex.All(char.IsAsciiHexDigit))
        {
            throw new UsageException($"{option} '{Shorten(text)}' is not an object id: give the CKA_ID in hexadecimal, an even number of digits, at most {maxBytes} bytes (for example --id 01a2).");
        }

        return hex.ToLowerInvariant();
    }

    public static int ParseRange(int value, string option, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new UsageException($"{option} {value} is out of range: use {min} to {max}.");
        }

        return value;
    }

    /// <summary>A shortened copy of untrusted text with control characters replaced, safe to echo in one line of an error message.</summary>
    public static string Shorten(string text)
    {
        var head = text.Length > 64 ? text[..64] : text;
        var chars = head.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return text.Length > 64 ? new string(chars) + "…" : new string(chars);
    }
}
