namespace KeyInfra.Keys;

/// <summary>Checks the free-text parts of key requests, so bad input fails before any work or storage.</summary>
/// <remarks>
/// Every string must be well-formed UTF-16: the stores keep UTF-8, and an unpaired surrogate would reach them as U+FFFD,
/// so two different names would become one stored name (a ring shared by mistake, an owner filter matching another
/// owner, two metadata entries merged). Such strings are refused, never repaired.
/// </remarks>
internal static class KeyRequestValidator
{
    public const int MaxNameLength = 200;
    public const int MaxMetadataEntries = 64;
    public const int MaxMetadataKeyLength = 100;
    public const int MaxMetadataValueLength = 1000;

    public static void Name(string? name, string paramName)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw new ArgumentException($"A key name is 1–{MaxNameLength} characters and not only white space.", paramName);
        }

        WellFormed(name, "A key name", paramName);
    }

    public static void Optional(string? value, string what, string paramName)
    {
        if (value is not null && (string.IsNullOrWhiteSpace(value) || value.Length > MaxNameLength))
        {
            throw new ArgumentException($"{what}, when given, is 1–{MaxNameLength} characters and not only white space.", paramName);
        }

        if (value is not null)
        {
            WellFormed(value, what, paramName);
        }
    }

    /// <summary>A filter of a key query: any length the store can compare, but well-formed UTF-16.</summary>
    public static void Filter(string? value, string what, string paramName)
    {
        if (value is not null)
        {
            WellFormed(value, what, paramName);
        }
    }

    /// <summary>Refuses an unpaired UTF-16 surrogate, naming its position (never the text, which may be anything).</summary>
    /// <exception cref="ArgumentException">The string is not well-formed UTF-16.</exception>
    public static void WellFormed(string value, string what, string paramName)
    {
        var index = IndexOfUnpairedSurrogate(value);
        if (index >= 0)
        {
            throw new ArgumentException($"{what} holds an unpaired UTF-16 surrogate at position {index}: it is not valid Unicode text and would be stored as U+FFFD. Send well-formed text.", paramName);
        }
    }

    /// <summary>The position of the first unpaired UTF-16 surrogate of <paramref name="value"/>, or -1 when it is well-formed.</summary>
    internal static int IndexOfUnpairedSurrogate(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }

    /// <summary>
    /// Copies the caller's metadata once and checks the copy, which is what gets stored: a dictionary that answers
    /// differently on a second enumeration (or whose Count disagrees with its entries) cannot slip an unchecked entry in.
    /// </summary>
    /// <returns>The checked copy (empty for <c>null</c>).</returns>
    public static Dictionary<string, string> Metadata(IReadOnlyDictionary<string, string>? metadata, string paramName)
        => CopyChecked(metadata, MaxMetadataEntries, "Key metadata", paramName, (key, value) =>
        {
            if (string.IsNullOrEmpty(key) || key.Length > MaxMetadataKeyLength)
            {
                throw new ArgumentException($"Metadata keys are 1–{MaxMetadataKeyLength} characters.", paramName);
            }

            WellFormed(key, "A metadata key", paramName);
            if (value is null || value.Length > MaxMetadataValueLength)
            {
                throw new ArgumentException($"The metadata value of '{key}' is missing or over {MaxMetadataValueLength} characters.", paramName);
            }

            WellFormed(value, $"The metadata value of '{key}'", paramName);
        });

    public const int MaxBackendOptions = 32;

    /// <summary>Checks the backend name, and copies the backend options once and checks the copy (which is what the backend gets).</summary>
    /// <returns>The checked copy of the options (empty for <c>null</c>).</returns>
    public static Dictionary<string, string> Backend(string? backend, IReadOnlyDictionary<string, string>? options, string paramName)
    {
        if (string.IsNullOrWhiteSpace(backend) || backend.Length > MaxMetadataKeyLength)
        {
            throw new ArgumentException($"A private-key backend name is 1–{MaxMetadataKeyLength} characters and not only white space.", paramName);
        }

        WellFormed(backend, "A private-key backend name", paramName);
        return CopyChecked(options, MaxBackendOptions, "Backend options", paramName, (name, value) =>
        {
            if (string.IsNullOrEmpty(name) || name.Length > MaxMetadataKeyLength || value is null || value.Length > MaxMetadataValueLength)
            {
                throw new ArgumentException($"Backend option names are 1–{MaxMetadataKeyLength} characters and values at most {MaxMetadataValueLength}.", paramName);
            }

            WellFormed(name, "A backend option name", paramName);
            WellFormed(value, $"The backend option '{name}'", paramName);
        });
    }

    // One enumeration, stopped as soon as it holds too many entries (a caller's dictionary may claim any Count).
    private static Dictionary<string, string> CopyChecked(
        IReadOnlyDictionary<string, string>? source, int maxEntries, string what, string paramName, Action<string, string> check)
    {
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        if (source is null)
        {
            return copy;
        }

        foreach (var (key, value) in source)
        {
            if (copy.Count == maxEntries)
            {
                throw new ArgumentException($"{what} hold at most {maxEntries} entries.", paramName);
            }

            check(key, value);
            if (!copy.TryAdd(key, value))
            {
                throw new ArgumentException($"{what} name '{key}' twice.", paramName);
            }
        }

        return copy;
    }

    public static void Expiry(DateTimeOffset? expiresAt, DateTimeOffset now, string paramName)
    {
        if (expiresAt is { } expires && expires <= now)
        {
            throw new ArgumentException($"The expiry {expires:O} is not in the future.", paramName);
        }
    }
}
