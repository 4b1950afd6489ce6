namespace KeyInfra.Authorization;

/// <summary>Checks the strings of a <see cref="Caller"/>, so a bad one fails where it is made, not in a log or a database.</summary>
internal static class CallerText
{
    public static void Check(string? value, int maxLength, string what, string paramName)
    {
        if (value is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength)
        {
            throw new ArgumentException($"{what} is 1–{maxLength} characters and not only white space.", paramName);
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                throw new ArgumentException($"{what} holds a control character (U+{(int)c:X4}) at position {i}; remove it.", paramName);
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new ArgumentException($"{what} holds an unpaired UTF-16 surrogate at position {i}, which cannot be stored; it is not valid Unicode text.", paramName);
            }
        }
    }

    /// <summary>At most 64 characters of <paramref name="text"/> with control characters as '?', for messages and logs.</summary>
    public static string Printable(string? text)
        => text is null ? "(null)" : new string([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
}
