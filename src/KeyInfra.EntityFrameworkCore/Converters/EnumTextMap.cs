using System.Collections.Frozen;
using KeyInfra.Errors;

namespace KeyInfra.EntityFrameworkCore.Converters;

/// <summary>
/// A fixed, two-way mapping between an enum and the text stored for it. Stored text is part of the schema:
/// it never changes when an enum member is renamed, and an unknown value fails instead of being guessed.
/// </summary>
internal sealed class EnumTextMap<TEnum>
    where TEnum : struct, Enum
{
    private readonly FrozenDictionary<TEnum, string> _toText;
    private readonly FrozenDictionary<string, TEnum> _fromText;

    public EnumTextMap(params (TEnum Value, string Text)[] entries)
    {
        _toText = entries.ToFrozenDictionary(e => e.Value, e => e.Text);
        _fromText = entries.ToFrozenDictionary(e => e.Text, e => e.Value, StringComparer.Ordinal);
    }

    public string ToText(TEnum value)
        => _toText.TryGetValue(value, out var text)
            ? text
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TEnum).Name} has no stored form for this value.");

    public TEnum FromText(string text)
        => _fromText.TryGetValue(text, out var value)
            ? value
            : throw new KeyInfraException(
                ErrorCodes.StoredDataInvalid,
                $"The database holds the {typeof(TEnum).Name} '{Truncate(text)}', which this version of KeyInfra does not know. Upgrade KeyInfra, or correct the row.");

    private static string Truncate(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
