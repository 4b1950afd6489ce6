using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KeyInfra.EntityFrameworkCore.Converters;

/// <summary>Stores an enum as the fixed text of an <see cref="EnumTextMap{TEnum}"/>.</summary>
internal sealed class EnumTextConverter<TEnum> : ValueConverter<TEnum, string>
    where TEnum : struct, Enum
{
    public EnumTextConverter(EnumTextMap<TEnum> map)
        : base(v => map.ToText(v), v => map.FromText(v))
    {
    }
}
