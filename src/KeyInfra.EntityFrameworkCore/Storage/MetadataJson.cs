using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using KeyInfra.Errors;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>Reads and writes the <c>metadata</c> column: a JSON object of strings.</summary>
internal static class MetadataJson
{
    // Non-ASCII text stays readable in the database; the JSON never goes into HTML, and the encoder
    // still escapes control characters (NUL included), quotes and backslashes.
    private static readonly JsonSerializerOptions s_options = new(MetadataJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private static readonly MetadataJsonContext s_context = new(s_options);

    public static string Write(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return "{}";
        }

        var copy = metadata as Dictionary<string, string> ?? new Dictionary<string, string>(metadata, StringComparer.Ordinal);
        return JsonSerializer.Serialize(copy, s_context.DictionaryStringString);
    }

    public static IReadOnlyDictionary<string, string> Read(string json, Guid keyId)
    {
        try
        {
            var metadata = JsonSerializer.Deserialize(json, s_context.DictionaryStringString);
            return metadata ?? throw Invalid(keyId, null);
        }
        catch (JsonException ex)
        {
            throw Invalid(keyId, ex);
        }
    }

    private static KeyInfraException Invalid(Guid keyId, Exception? inner)
        => new(ErrorCodes.StoredDataInvalid, $"The metadata of key {keyId} is not a JSON object of strings. Correct the row's metadata column.", inner);
}
