namespace KeyInfra.PostgreSql.Storage;

/// <summary>
/// PostgreSQL's text and jsonb types cannot hold the NUL character; every other character (quotes, backslashes,
/// semicolons, any Unicode) is stored as given, since all values travel as parameters.
/// </summary>
internal static class PostgreSqlText
{
    public static bool IsStorable(string? value) => value is null || !value.Contains('\0', StringComparison.Ordinal);

    /// <exception cref="ArgumentException">The value holds a NUL character.</exception>
    public static void Check(string? value, string paramName)
    {
        if (!IsStorable(value))
        {
            throw new ArgumentException("PostgreSQL cannot store the NUL character (U+0000) in text. Remove it from names, owners, ring names and metadata.", paramName);
        }
    }
}
