using System.Text.Json;
using System.Text.Json.Serialization;

namespace KeyInfra.Sample.Output;

/// <summary>The <c>--json</c> output: camelCase properties, enums as their names, indented, one document per command.</summary>
internal static class JsonOutput
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(), new KeyIdJsonConverter() },
    };

    public static void Write<T>(TextWriter writer, T value)
    {
        writer.WriteLine(JsonSerializer.Serialize(value, Options));
    }
}
