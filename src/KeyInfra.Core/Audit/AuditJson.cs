using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KeyInfra.Audit;

/// <summary>
/// The JSON KeyInfra writes for the audit logs: a change's states (objects of strings, keys in ordinal order, so the
/// same state is always the same text) and the JSON Lines of an export. Written by hand with
/// <see cref="Utf8JsonWriter"/>: no reflection, and nothing but the fields named here can end up in the output.
/// </summary>
internal static class AuditJson
{
    private static readonly JsonWriterOptions s_options = new()
    {
        // Escapes what HTML would mind too: an exported line pasted into a page or a log viewer stays inert.
        Encoder = JavaScriptEncoder.Default,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>The state as a JSON object, or <c>null</c>.</summary>
    public static string? State(IReadOnlyDictionary<string, string?>? state)
    {
        if (state is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in state.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                // Control characters and unpaired surrogates cannot be stored everywhere; the state is for people to read.
                writer.WriteString(AuditText.Storable(name, AuditChange.MaxFieldLength)!, AuditText.Storable(value, AuditChange.MaxFieldLength));
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes one control-plane record as a line of JSON (with its newline).</summary>
    public static void WriteLine(IBufferWriter<byte> output, ControlPlaneAuditRecord record)
    {
        using (var writer = new Utf8JsonWriter(output, s_options))
        {
            writer.WriteStartObject();
            WriteCommon(writer, record.Id, record.TenantId, record.OccurredAt, record.ActorKind, record.ActorId, record.ActorAddress, record.RequestId, record.Action);
            writer.WriteStartObject("target");
            writer.WriteString("type", record.TargetType);
            writer.WriteString("id", record.TargetId);
            writer.WriteEndObject();
            WriteState(writer, "before", record.Before);
            WriteState(writer, "after", record.After);
            writer.WriteEndObject();
        }

        NewLine(output);
    }

    /// <summary>Writes one data-plane record as a line of JSON (with its newline).</summary>
    public static void WriteLine(IBufferWriter<byte> output, DataPlaneAuditRecord record)
    {
        using (var writer = new Utf8JsonWriter(output, s_options))
        {
            writer.WriteStartObject();
            WriteCommon(writer, record.Id, record.TenantId, record.OccurredAt, record.ActorKind, record.ActorId, record.ActorAddress, record.RequestId, record.Action);
            writer.WriteString("decision", AuditValues.ToText(record.Decision));
            writer.WriteString("reason", record.Reason);
            if (record.KeyId is { } keyId)
            {
                writer.WriteString("key_id", keyId);
            }
            else
            {
                writer.WriteNull("key_id");
            }

            writer.WriteEndObject();
        }

        NewLine(output);
    }

    // The fields both logs have, in the order both export them.
    private static void WriteCommon(Utf8JsonWriter writer, Guid id, Guid tenantId, DateTimeOffset occurredAt, AuditActorKind actorKind, string? actorId,
        string? actorAddress, string? requestId, string action)
    {
        writer.WriteString("id", id);
        writer.WriteString("tenant_id", tenantId);
        writer.WriteString("occurred_at", occurredAt.UtcDateTime);
        writer.WriteString("actor_type", AuditValues.ToText(actorKind));
        writer.WriteString("actor_id", actorId);
        writer.WriteString("actor_ip", actorAddress);
        writer.WriteString("request_id", requestId);
        writer.WriteString("action", action);
    }

    // A stored state is KeyInfra's own JSON, but the row is untrusted: one that does not parse is exported as a string.
    private static void WriteState(Utf8JsonWriter writer, string name, string? state)
    {
        if (state is null)
        {
            writer.WriteNull(name);
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(state, new JsonDocumentOptions { MaxDepth = 4 });
            writer.WritePropertyName(name);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteString(name, state);
        }
    }

    private static void NewLine(IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }
}
