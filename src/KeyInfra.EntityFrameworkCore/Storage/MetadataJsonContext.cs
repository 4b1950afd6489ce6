using System.Text.Json.Serialization;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>Source-generated JSON for <see cref="MetadataJson"/> (no reflection, trim-safe).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
