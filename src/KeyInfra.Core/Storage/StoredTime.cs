namespace KeyInfra.Storage;

/// <summary>Times as storage keeps them: to the microsecond (PostgreSQL's precision), so a value sealed under a MAC before it is written matches the row read back.</summary>
internal static class StoredTime
{
    public static DateTimeOffset Truncate(DateTimeOffset value) => value.AddTicks(-(value.UtcTicks % TimeSpan.TicksPerMicrosecond));

    public static DateTimeOffset? Truncate(DateTimeOffset? value) => value is { } v ? Truncate(v) : null;
}
