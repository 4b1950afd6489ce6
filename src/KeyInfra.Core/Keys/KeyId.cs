using System.Diagnostics.CodeAnalysis;

namespace KeyInfra.Keys;

/// <summary>
/// The identifier of a key in the registry: a UUID, version 7 for keys KeyInfra creates
/// (time-ordered, so new keys land at the end of the primary-key index).
/// </summary>
/// <param name="Value">The UUID.</param>
public readonly record struct KeyId(Guid Value) : ISpanFormattable, IParsable<KeyId>
{
    /// <summary>Creates a new, time-ordered key id (UUIDv7).</summary>
    public static KeyId New() => new(Guid.CreateVersion7());

    /// <summary>Parses a key id written as a UUID (any of the standard <see cref="Guid"/> forms).</summary>
    /// <exception cref="FormatException">The text is not a UUID.</exception>
    public static KeyId Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, out var id)
            ? id
            : throw new FormatException($"'{(s.Length > 64 ? s[..64] + "…" : s)}' is not a key id: a key id is a UUID such as 0193a6f2-7c1e-7d3a-9b2f-5e4c3d2b1a09.");
    }

    /// <summary>Tries to parse a key id written as a UUID.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out KeyId result)
    {
        if (Guid.TryParse(s, out var guid))
        {
            result = new KeyId(guid);
            return true;
        }

        result = default;
        return false;
    }

    // UUIDs are culture-invariant: the format provider of IParsable is not used.
    static KeyId IParsable<KeyId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<KeyId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out KeyId result) => TryParse(s, out result);

    /// <summary>The UUID in its 36-character hyphenated form.</summary>
    public override string ToString() => Value.ToString("D");

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format ?? "D", formatProvider);

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => Value.TryFormat(destination, out charsWritten, format.IsEmpty ? "D" : format);
}
