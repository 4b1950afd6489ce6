using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Converters;

/// <summary>Applies KeyInfra's conversions to entity properties, so every configuration maps them alike.</summary>
internal static class PropertyBuilderExtensions
{
    /// <summary>Stores the property as UTC (see <see cref="UtcDateTimeOffsetConverter"/>).</summary>
    public static PropertyBuilder<DateTimeOffset> IsUtc(this PropertyBuilder<DateTimeOffset> property)
        => property.HasConversion(UtcDateTimeOffsetConverter.Instance);

    /// <summary>Stores the property as UTC (see <see cref="UtcDateTimeOffsetConverter"/>).</summary>
    public static PropertyBuilder<DateTimeOffset?> IsUtc(this PropertyBuilder<DateTimeOffset?> property)
        => property.HasConversion(UtcDateTimeOffsetConverter.Instance);

    /// <summary>
    /// Enum columns are all this wide: room for values added later without a column change.
    /// </summary>
    public const int EnumTextLength = 32;

    /// <summary>Stores the enum as fixed text.</summary>
    public static PropertyBuilder<TEnum> IsText<TEnum>(this PropertyBuilder<TEnum> property, EnumTextMap<TEnum> map)
        where TEnum : struct, Enum
        => property.HasConversion(new EnumTextConverter<TEnum>(map)).HasMaxLength(EnumTextLength);

    /// <summary>Stores the nullable enum as fixed text.</summary>
    public static PropertyBuilder<TEnum?> IsText<TEnum>(this PropertyBuilder<TEnum?> property, EnumTextMap<TEnum> map)
        where TEnum : struct, Enum
        => property.HasConversion(new EnumTextConverter<TEnum>(map)).HasMaxLength(EnumTextLength);
}
