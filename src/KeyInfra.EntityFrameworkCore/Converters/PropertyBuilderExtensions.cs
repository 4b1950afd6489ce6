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

    /// <summary>Stores the enum as fixed text, with a max length that fits every value.</summary>
    public static PropertyBuilder<TEnum> IsText<TEnum>(this PropertyBuilder<TEnum> property, EnumTextMap<TEnum> map)
        where TEnum : struct, Enum
        => property.HasConversion(new EnumTextConverter<TEnum>(map)).HasMaxLength(map.MaxLength);

    /// <summary>Stores the nullable enum as fixed text, with a max length that fits every value.</summary>
    public static PropertyBuilder<TEnum?> IsText<TEnum>(this PropertyBuilder<TEnum?> property, EnumTextMap<TEnum> map)
        where TEnum : struct, Enum
        => property.HasConversion(new EnumTextConverter<TEnum>(map)).HasMaxLength(map.MaxLength);
}
