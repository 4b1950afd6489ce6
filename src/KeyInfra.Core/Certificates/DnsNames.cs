using System.Globalization;

namespace KeyInfra.Certificates;

/// <summary>
/// DNS names as a certificate may carry them: ASCII host names of at least two RFC 1123 labels (letters, digits,
/// hyphens; 1 to 63 characters, no hyphen first or last), at most 253 characters, whose last label is not all digits
/// (so an IPv4 address is never taken for a DNS name), and at most one wildcard, as the whole first label of a name with
/// at least two more (<c>*.example.net</c>). Internationalized names are given in their A-label form
/// (<c>xn--...</c>), which must be valid Punycode. Single-label names (<c>localhost</c>, a bare host name) are refused:
/// they are not unique outside one network, and no public CA may issue them either.
/// </summary>
/// <remarks>
/// Whether a wildcard is allowed at all is the profile's to say (<see cref="CertificateProfile.AllowWildcards"/>); this
/// only checks the name's form. Thread-safe.
/// </remarks>
internal static class DnsNames
{
    private const int MaxLength = 253;
    private const int MaxLabelLength = 63;
    private const string ALabelPrefix = "xn--";

    /// <summary>Whether <paramref name="name"/> is such a DNS name (in any letter case).</summary>
    public static bool IsValid(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return false;
        }

        var labels = name.Split('.');
        if (labels.Length < 2)
        {
            return false;
        }

        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (i == 0 && label == "*" && labels.Length > 2)
            {
                continue;
            }

            if (!IsValidLabel(label))
            {
                return false;
            }
        }

        // A last label of digits alone is an IPv4 address's (or part of one), never a top-level domain (RFC 3696, 2).
        return labels[^1].AsSpan().ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>Whether <paramref name="name"/> (a valid name) has a wildcard first label.</summary>
    public static bool IsWildcard(string name) => name.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>The name as an error message may quote it: at most 80 characters, control characters replaced.</summary>
    public static string Shorten(string name)
    {
        var shown = name.Length <= 80 ? name : string.Concat(name.AsSpan(0, 80), "...");
        return string.Create(shown.Length, shown, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        });
    }

    private static bool IsValidLabel(string label)
    {
        if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-')
        {
            return false;
        }

        foreach (var c in label)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return !label.StartsWith(ALabelPrefix, StringComparison.OrdinalIgnoreCase) || IsValidALabel(label.ToLowerInvariant());
    }

    // An A-label must decode as Punycode to a valid U-label that encodes back to the same A-label (RFC 5890, 2.3.2.1):
    // no undecodable "xn--" label, and no second spelling of a name.
    private static bool IsValidALabel(string label)
    {
        // IdnMapping's instance members are not documented thread-safe: one per call.
        var idn = new IdnMapping { UseStd3AsciiRules = true, AllowUnassigned = false };
        try
        {
            var unicode = idn.GetUnicode(label);
            return !unicode.Equals(label, StringComparison.Ordinal) && idn.GetAscii(unicode).Equals(label, StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
