namespace KeyInfra.Certificates;

/// <summary>
/// DNS names as a certificate may carry them: ASCII host names of RFC 1123 labels (letters, digits, hyphens; 1 to 63
/// characters, no hyphen first or last), at most 253 characters, and at most one wildcard, as the whole first label
/// (<c>*.example.net</c>). Internationalized names are given in their A-label form (<c>xn--...</c>).
/// </summary>
internal static class DnsNames
{
    private const int MaxLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>Whether <paramref name="name"/> is such a DNS name.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return false;
        }

        var labels = name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (i == 0 && label == "*" && labels.Length > 2)
            {
                continue;
            }

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
        }

        return true;
    }

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
}
