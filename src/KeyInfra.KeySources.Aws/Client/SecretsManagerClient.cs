using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.KeySources.Aws.Errors;

namespace KeyInfra.KeySources.Aws.Client;

/// <summary>
/// <c>secretsmanager.GetSecretValue</c> over the JSON 1.1 protocol, on an <see cref="HttpClient"/> whose handler signs
/// with the AWS SDK's SigV4 signer and retries transient failures. The answer's size is bounded and the secret is
/// decoded straight from the response bytes into stack buffers, all zeroed afterwards: no string holds the key.
/// </summary>
internal sealed class SecretsManagerClient(HttpClient http, Uri endpoint)
{
    public const int MaxResponseBytes = 256 * 1024;

    private const int MaxKeyTextBytes = 256;

    /// <summary>Reads the version named by <paramref name="versionId"/> or <paramref name="versionStage"/> as a master key.</summary>
    /// <exception cref="SecretsManagerRequestException">AWS answered an error.</exception>
    /// <exception cref="MasterKeyException">KI7103: no such JSON field; KI7105: the answer is not a secret value; KI2002: not a key.</exception>
    public async Task<SecretsManagerSecretKey> ReadKeyAsync(AwsSecretsManagerMasterKeyOptions options, string? versionId, string? versionStage, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, string> { ["SecretId"] = options.SecretId! };
        if (versionId is not null)
        {
            request["VersionId"] = versionId;
        }
        else if (versionStage is not null)
        {
            request["VersionStage"] = versionStage;
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        message.Headers.Add("X-Amz-Target", "secretsmanager.GetSecretValue");
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var body = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                var (type, text) = ParseError(body);
                throw new SecretsManagerRequestException(response.StatusCode, type, text);
            }

            return ParseKey(body, options, versionId ?? versionStage ?? "AWSCURRENT");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }
    }

    /// <summary>How the secret is named in messages: its id and region, never a value.</summary>
    public static string Describe(AwsSecretsManagerMasterKeyOptions options)
        => $"{options.SecretId} in {options.Region}{(options.JsonField is null ? string.Empty : $" (field {options.JsonField})")}";

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new MasterKeyException(AwsErrorCodes.BadResponse, $"AWS's answer is {content.Headers.ContentLength} bytes, more than the {MaxResponseBytes} this client reads.");
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(MaxResponseBytes + 1);
            var length = 0;
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(length, MaxResponseBytes + 1 - length), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    length += read;
                    if (length > MaxResponseBytes)
                    {
                        throw new MasterKeyException(AwsErrorCodes.BadResponse, $"AWS's answer is longer than the {MaxResponseBytes} bytes this client reads.");
                    }
                }

                return buffer.AsSpan(0, length).ToArray();
            }
            finally
            {
                CryptographicOperations.ZeroMemory(buffer.AsSpan(0, Math.Min(length, buffer.Length)));
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    // JSON services answer {"__type":"...#ResourceNotFoundException","message":"..."}; signature failures may come as XML.
    private static (string Type, string? Message) ParseError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("__type", out var type) && type.ValueKind == JsonValueKind.String)
            {
                var name = type.GetString()!;
                var message = root.TryGetProperty("message", out var m) || root.TryGetProperty("Message", out m) ? m.GetString() : null;
                return (name[(name.LastIndexOf('#') + 1)..], Truncate(message));
            }
        }
        catch (JsonException)
        {
            try
            {
                var xml = XDocument.Parse(Encoding.UTF8.GetString(body));
                var code = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
                var message = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
                if (code is not null)
                {
                    return (code, Truncate(message));
                }
            }
            catch (System.Xml.XmlException)
            {
                // Neither shape: the status alone is reported.
            }
        }

        return ("UnknownError", null);
    }

    private static string? Truncate(string? text) => text is null || text.Length <= 200 ? text : text[..200] + "…";

    private static SecretsManagerSecretKey ParseKey(byte[] body, AwsSecretsManagerMasterKeyOptions options, string version)
    {
        var secret = Describe(options);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new MasterKeyException(AwsErrorCodes.BadResponse, $"AWS's answer for secret {secret} is not JSON. Check ServiceUrl.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("VersionId", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } versionId)
            {
                throw new MasterKeyException(AwsErrorCodes.BadResponse, $"AWS's answer for secret {secret} has no VersionId: it is not a GetSecretValue answer.");
            }

            var setting = $"AWS Secrets Manager secret {secret}, version {versionId}";
            if (root.TryGetProperty("SecretString", out var text) && text.ValueKind == JsonValueKind.String)
            {
                return new SecretsManagerSecretKey(versionId, options.JsonField is null ? MasterKey.FromJsonString(text, setting) : KeyFromJsonField(text, options.JsonField, setting));
            }

            if (root.TryGetProperty("SecretBinary", out var binary) && binary.ValueKind == JsonValueKind.String)
            {
                return new SecretsManagerSecretKey(versionId, KeyFromBinary(binary, setting));
            }

            throw new MasterKeyException(AwsErrorCodes.BadResponse, $"AWS's answer for {setting} ({version}) has neither SecretString nor SecretBinary.");
        }
    }

    // SecretString holding a JSON object: unescaped into a pooled buffer (zeroed), parsed, the field read as above.
    private static MasterKey KeyFromJsonField(JsonElement value, string field, string setting)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var inner = ArrayPool<byte>.Shared.Rent(raw.Length);
        var length = 0;
        try
        {
            var reader = new Utf8JsonReader(raw);
            reader.Read();
            length = reader.CopyString(inner);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(inner.AsMemory(0, length));
            }
            catch (JsonException ex)
            {
                throw new MasterKeyException(ErrorCodes.MasterKeyMalformed, $"The SecretString of {setting} is not a JSON object, but JsonField '{field}' is set. Store the key as JSON, or unset JsonField.", ex);
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(field, out var key))
                {
                    throw new MasterKeyException(AwsErrorCodes.SecretNotFound, $"The SecretString of {setting} has no field '{field}'. Write the key there, or set AwsSecretsManagerMasterKeyOptions.JsonField.");
                }

                if (key.ValueKind != JsonValueKind.String)
                {
                    throw new MasterKeyException(ErrorCodes.MasterKeyMalformed, $"Field '{field}' of {setting} is not a string; it must hold the key as 64 hex digits or Base64 of 32 bytes.");
                }

                return MasterKey.FromJsonString(key, setting);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(inner.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(inner);
        }
    }

    // SecretBinary: the 32 key bytes themselves, or the key as text.
    private static MasterKey KeyFromBinary(JsonElement value, string setting)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length > MaxKeyTextBytes + 2)
        {
            throw new MasterKeyException(ErrorCodes.MasterKeyMalformed, $"The SecretBinary of {setting} is too long for a master key; it must be the 32 key bytes or the key as text.");
        }

        Span<byte> decoded = stackalloc byte[MaxKeyTextBytes];
        try
        {
            if (raw.Length < 2 || System.Buffers.Text.Base64.DecodeFromUtf8(raw[1..^1], decoded, out _, out var written) != OperationStatus.Done)
            {
                throw new MasterKeyException(AwsErrorCodes.BadResponse, $"The SecretBinary of {setting} is not Base64.");
            }

            return written == MasterKey.KeySizeBytes ? new MasterKey(decoded[..written]) : MasterKey.FromUtf8Text(decoded[..written], setting);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(decoded);
        }
    }
}
