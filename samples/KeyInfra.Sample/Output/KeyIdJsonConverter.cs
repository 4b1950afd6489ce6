using System.Text.Json;
using System.Text.Json.Serialization;
using KeyInfra.Keys;

namespace KeyInfra.Sample.Output;

/// <summary>Writes a <see cref="KeyId"/> as its UUID string, the form every command accepts back.</summary>
internal sealed class KeyIdJsonConverter : JsonConverter<KeyId>
{
    public override KeyId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => KeyId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("A key id is a UUID string.");

    public override void Write(Utf8JsonWriter writer, KeyId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
