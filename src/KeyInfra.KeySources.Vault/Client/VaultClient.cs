using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.KeySources.Vault.Errors;

namespace KeyInfra.KeySources.Vault.Client;

/// <summary>
/// The few calls of Vault's HTTP API that the key source needs (KV v2 read, AppRole login, token renew-self), on a
/// typed <see cref="HttpClient"/> whose handler retries transient failures. Answers are parsed strictly and their size
/// is bounded; the secret's field is decoded straight from the response bytes, which are zeroed afterwards, so no
/// string ever holds the key.
/// </summary>
internal sealed class VaultClient(HttpClient http)
{
    /// <summary>The name of the <see cref="HttpClient"/> this client uses.</summary>
    public const string HttpClientName = "KeyInfra.KeySources.Vault";

    /// <summary>The largest answer read; Vault's answers for these calls are a few kilobytes.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    /// <summary>Reads version <paramref name="version"/> (the newest when <c>null</c>) of the secret's field as a master key.</summary>
    /// <exception cref="VaultRequestException">Vault answered an error status.</exception>
    /// <exception cref="MasterKeyException">KI7003: the version is deleted or the field is missing; KI7005: the answer is not a KV v2 secret; KI2002: the field is not a key.</exception>
    public async Task<VaultSecretKey> ReadKeyAsync(VaultMasterKeyOptions options, string token, int? version, CancellationToken cancellationToken)
    {
        var secret = Describe(options);
        var path = $"v1/{Escape(options.Mount)}/data/{Escape(options.Path!)}" + (version is { } v ? "?version=" + v.ToString(CultureInfo.InvariantCulture) : string.Empty);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Address!, path));
        AddHeaders(request, options, token);
        var body = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            return ParseKey(body, options, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }
    }

    /// <summary>Logs in with AppRole.</summary>
    /// <exception cref="VaultRequestException">Vault answered an error status (400 or 403 for a wrong role or secret id).</exception>
    public async Task<VaultLogin> LoginAppRoleAsync(VaultMasterKeyOptions options, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Address!, $"v1/auth/{Escape(options.AppRoleMount)}/login"))
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["role_id"] = options.AppRoleRoleId!, ["secret_id"] = options.AppRoleSecretId! }),
        };
        AddHeaders(request, options, token: null);
        return ParseAuth(await SendAsync(request, cancellationToken).ConfigureAwait(false), "auth/" + options.AppRoleMount + "/login");
    }

    /// <summary>Renews the token's own lease (<c>POST /v1/auth/token/renew-self</c>).</summary>
    /// <exception cref="VaultRequestException">Vault answered an error status.</exception>
    public async Task<VaultLogin> RenewSelfAsync(VaultMasterKeyOptions options, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Address!, "v1/auth/token/renew-self"))
        {
            Content = JsonContent.Create(new Dictionary<string, string>()),
        };
        AddHeaders(request, options, token);
        return ParseAuth(await SendAsync(request, cancellationToken).ConfigureAwait(false), "auth/token/renew-self");
    }

    /// <summary>How the secret is named in messages: mount, path and field, never a value.</summary>
    public static string Describe(VaultMasterKeyOptions options) => $"{options.Mount}/{options.Path} (field {options.Field})";

    private static string Escape(string path) => string.Join('/', path.Trim('/').Split('/').Select(Uri.EscapeDataString));

    private static void AddHeaders(HttpRequestMessage request, VaultMasterKeyOptions options, string? token)
    {
        if (token is not null)
        {
            request.Headers.Add("X-Vault-Token", token);
        }

        if (!string.IsNullOrEmpty(options.Namespace))
        {
            request.Headers.Add("X-Vault-Namespace", options.Namespace);
        }

        request.Headers.Add("X-Vault-Request", "true");
    }

    private async Task<byte[]> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new MasterKeyException(VaultErrorCodes.BadResponse, $"Vault's answer to {request.RequestUri!.AbsolutePath} is {response.Content.Headers.ContentLength} bytes, more than the {MaxResponseBytes} this client reads.");
        }

        var body = await ReadBoundedAsync(response.Content, request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return body;
        }

        var errors = ParseErrors(body);
        CryptographicOperations.ZeroMemory(body);
        throw new VaultRequestException(response.StatusCode, errors);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            var length = 0;
            try
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= MaxResponseBytes)
                        {
                            throw new MasterKeyException(VaultErrorCodes.BadResponse, $"Vault's answer to {request.RequestUri!.AbsolutePath} is longer than the {MaxResponseBytes} bytes this client reads.");
                        }

                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxResponseBytes));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, MaxResponseBytes) - length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return buffer.AsSpan(0, length).ToArray();
                    }

                    length += read;
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static List<string> ParseErrors(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                // Vault's messages are short and hold no secret ("permission denied", "Vault is sealed"); cap them anyway.
                return [.. errors.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Take(5).Select(e => Truncate(e.GetString()!))];
            }
        }
        catch (JsonException)
        {
            // Not Vault's error shape (a proxy's page, say): the status alone is reported.
        }

        return [];
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static VaultSecretKey ParseKey(byte[] body, VaultMasterKeyOptions options, string secret)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new MasterKeyException(VaultErrorCodes.BadResponse, $"Vault's answer for {secret} is not JSON. Check that the address points at Vault.", ex);
        }

        using (document)
        {
            if (!TryGetObject(document.RootElement, "data", out var data) || !TryGetObject(data, "metadata", out var metadata)
                || !metadata.TryGetProperty("version", out var versionElement) || !versionElement.TryGetInt32(out var version) || version < 1)
            {
                throw new MasterKeyException(VaultErrorCodes.BadResponse, $"Vault's answer for {secret} is not a KV version 2 secret (no data.metadata.version). Check that mount '{options.Mount}' is a KV v2 engine.");
            }

            if (!TryGetObject(data, "data", out var fields))
            {
                throw new MasterKeyException(VaultErrorCodes.SecretNotFound, $"Version {version} of Vault secret {secret} is deleted or destroyed. Undelete it, or make a newer version current.");
            }

            if (!fields.TryGetProperty(options.Field, out var field))
            {
                throw new MasterKeyException(VaultErrorCodes.SecretNotFound, $"Version {version} of Vault secret {options.Mount}/{options.Path} has no field '{options.Field}'. Write the key there, or set VaultMasterKeyOptions.Field.");
            }

            if (field.ValueKind != JsonValueKind.String)
            {
                throw new MasterKeyException(ErrorCodes.MasterKeyMalformed, $"Field '{options.Field}' of Vault secret {options.Mount}/{options.Path} (version {version}) is not a string; it must hold the key as 64 hex digits or Base64 of 32 bytes.");
            }

            return new VaultSecretKey(version, MasterKey.FromJsonString(field, $"Vault secret {secret}, version {version}"));
        }
    }

    private static VaultLogin ParseAuth(byte[] body, string call)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (TryGetObject(document.RootElement, "auth", out var auth)
                && auth.TryGetProperty("client_token", out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value
                && auth.TryGetProperty("lease_duration", out var lease) && lease.TryGetInt64(out var leaseSeconds) && leaseSeconds >= 0)
            {
                var renewable = auth.TryGetProperty("renewable", out var r) && r.ValueKind == JsonValueKind.True;
                return new VaultLogin(value, leaseSeconds, renewable);
            }
        }
        catch (JsonException)
        {
            // Reported below, like any other unexpected answer.
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }

        throw new MasterKeyException(VaultErrorCodes.BadResponse, $"Vault's answer to {call} has no auth.client_token and auth.lease_duration.");
    }

    private static bool TryGetObject(JsonElement parent, string name, out JsonElement value)
    {
        value = default;
        return parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object;
    }
}
