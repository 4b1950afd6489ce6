using System.Globalization;

namespace KeyInfra.Sample.Output;

/// <summary>How tables show times and hashes.</summary>
internal static class Formats
{
    public static string Time(DateTimeOffset? value)
        => value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The first 16 hex digits of a hash: enough to tell records apart in a table.</summary>
    public static string HashPrefix(byte[] hash) => Convert.ToHexStringLower(hash.AsSpan(0, Math.Min(8, hash.Length)));
}
