using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KeyInfra.EntityFrameworkCore.Converters;

/// <summary>
/// Stores a <see cref="DateTimeOffset"/> as a UTC <see cref="DateTime"/> (<see cref="DateTimeKind.Utc"/>).
/// </summary>
/// <remarks>
/// Why: SQLite has no date type and EF Core cannot order or compare <see cref="DateTimeOffset"/> columns
/// there (they are text with an offset, which does not sort). A UTC <see cref="DateTime"/> is stored by the
/// SQLite provider as fixed-format ISO text (<c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>) that sorts and compares
/// correctly as text, and Npgsql maps a UTC <see cref="DateTime"/> to <c>timestamptz</c>, so the same model
/// serves PostgreSQL. The entities keep <see cref="DateTimeOffset"/> so the repositories need no conversions
/// and LINQ comparisons go through this converter. The offset is not kept: every time is UTC.
/// </remarks>
internal sealed class UtcDateTimeOffsetConverter : ValueConverter<DateTimeOffset, DateTime>
{
    public static UtcDateTimeOffsetConverter Instance { get; } = new();

    public UtcDateTimeOffsetConverter()
        : base(v => v.UtcDateTime, v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)))
    {
    }
}
