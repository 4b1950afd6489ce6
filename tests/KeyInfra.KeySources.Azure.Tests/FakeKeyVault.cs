using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyInfra.KeySources.Azure.Tests;

/// <summary>
/// An in-process Azure Key Vault and Microsoft Entra token endpoint on loopback HTTPS (Kestrel, a certificate of its own
/// for <see cref="VaultHost"/> and <see cref="LoginHost"/>), following the documented protocol the SDK speaks: a request
/// without a token is answered 401 with the <c>WWW-Authenticate: Bearer authorization="…/{tenant}", resource="…"</c>
/// challenge; <c>POST /{tenant}/oauth2/v2.0/token</c> (client credentials) issues a bearer token;
/// <c>GET /secrets/{name}/{version}</c> answers the secret bundle, and 401, 403 and 404 with Key Vault's
/// <c>{"error":{"code","message"}}</c> bodies. <see cref="Transport"/> sends every connection here, whatever the host
/// name, and trusts only this server's certificate: the client's resource check still sees the real host names.
/// </summary>
internal sealed class FakeKeyVault : IAsyncDisposable
{
    public const string VaultHost = "keyinfra-test.vault.azure.net";
    public const string LoginHost = "login.microsoftonline.com";

    /// <summary>A vault host outside the challenge's resource (vault.azure.net): the client must refuse to send it a token.</summary>
    public const string ForeignVaultHost = "keyinfra-test.vault.example.org";
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string ClientId = "11111111-2222-3333-4444-555555555555";
    public const string ClientSecret = "the-client-secret-of-the-test-app";

    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentDictionary<string, List<(string Version, string Value, bool Enabled)>> _secrets = new();
    private readonly ConcurrentDictionary<string, bool> _tokens = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private int _port;

    private FakeKeyVault(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        _certificate = certificate;
    }

    public static Uri VaultUri { get; } = new($"https://{VaultHost}/");

    /// <summary>When set, tokens are refused with 403 (the identity has no role on the vault).</summary>
    public bool Forbidden { get; set; }

    public IReadOnlyCollection<string> Requests => _requests;

    public static async Task<FakeKeyVault> StartAsync()
    {
        var certificate = Certificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var fake = new FakeKeyVault(app, certificate);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        fake._port = address.Port;
        return fake;
    }

    /// <summary>A transport that connects to this server for every host and trusts only its certificate.</summary>
    public HttpClientTransport Transport() => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, _port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                presented is not null && presented.GetCertHashString() == _certificate.GetCertHashString() && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0,
        },
    });

    /// <summary>Writes a new version of the secret; returns its version id.</summary>
    public string Put(string name, string value)
    {
        var version = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var versions = _secrets.GetOrAdd(name, _ => []);
        lock (versions)
        {
            versions.Add((version, value, true));
        }

        return version;
    }

    public void Disable(string name, string version)
    {
        var versions = _secrets[name];
        lock (versions)
        {
            var index = versions.FindIndex(v => v.Version == version);
            versions[index] = versions[index] with { Enabled = false };
        }
    }

    public int Count(string prefix) => _requests.Count(r => r.StartsWith(prefix, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue($"{request.Host.Host} {request.Method} {request.Path}");
        if (request.Host.Host == LoginHost)
        {
            await TokenAsync(context);
            return;
        }

        if (request.Host.Host is not (VaultHost or ForeignVaultHost))
        {
            context.Response.StatusCode = 421;
            return;
        }

        var authorization = request.Headers.Authorization.FirstOrDefault();
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            context.Response.Headers.WWWAuthenticate = $"Bearer authorization=\"https://{LoginHost}/{TenantId}\", resource=\"https://vault.azure.net\"";
            await ErrorAsync(context, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
            return;
        }

        if (!_tokens.ContainsKey(authorization["Bearer ".Length..]))
        {
            await ErrorAsync(context, 401, "Unauthorized", "AKV10032: Invalid issuer.");
            return;
        }

        if (Forbidden)
        {
            await ErrorAsync(context, 403, "Forbidden", "Caller is not authorized to perform action on resource.", new JsonObject { ["code"] = "ForbiddenByRbac" });
            return;
        }

        var parts = request.Path.Value!.Trim('/').Split('/');
        if (request.Method != "GET" || parts.Length is < 2 or > 3 || parts[0] != "secrets" || !request.Query.ContainsKey("api-version"))
        {
            await ErrorAsync(context, 400, "BadParameter", "The request URI is not valid.");
            return;
        }

        await SecretAsync(context, parts[1], parts.Length == 3 ? parts[2] : null);
    }

    private async Task TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (context.Request.Path.Value != $"/{TenantId}/oauth2/v2.0/token" || form["grant_type"] != "client_credentials"
            || form["client_id"] != ClientId || form["client_secret"] != ClientSecret || form["scope"] != "https://vault.azure.net/.default")
        {
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject
            {
                ["error"] = "invalid_client",
                ["error_description"] = "AADSTS7000215: Invalid client secret provided.",
                ["error_codes"] = new JsonArray(7000215),
                ["timestamp"] = DateTime.UtcNow.ToString("u"),
                ["trace_id"] = Guid.NewGuid().ToString(),
                ["correlation_id"] = Guid.NewGuid().ToString(),
            }.ToJsonString());
            return;
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = true;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = token }.ToJsonString());
    }

    private async Task SecretAsync(HttpContext context, string name, string? version)
    {
        (string Version, string Value, bool Enabled)? found = null;
        if (_secrets.TryGetValue(name, out var versions))
        {
            lock (versions)
            {
                found = version is null ? versions[^1] : versions.Find(v => v.Version == version) is { Version: not null } v ? v : null;
            }
        }

        if (found is not { } secret)
        {
            await ErrorAsync(context, 404, "SecretNotFound", $"A secret with (name/id) {name}{(version is null ? string.Empty : "/" + version)} was not found in this key vault.");
            return;
        }

        if (!secret.Enabled)
        {
            await ErrorAsync(context, 403, "Forbidden", "Operation get is not allowed on a disabled secret.", new JsonObject { ["code"] = "SecretDisabled" });
            return;
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(new JsonObject
        {
            ["value"] = secret.Value,
            ["id"] = $"https://{VaultHost}/secrets/{name}/{secret.Version}",
            ["attributes"] = new JsonObject { ["enabled"] = true, ["created"] = now, ["updated"] = now, ["recoveryLevel"] = "Recoverable+Purgeable", ["recoverableDays"] = 90 },
            ["tags"] = new JsonObject(),
        }.ToJsonString());
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message, JsonObject? inner = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (inner is not null)
        {
            error["innererror"] = inner;
        }

        await context.Response.WriteAsync(new JsonObject { ["error"] = error }.ToJsonString());
    }

    private static X509Certificate2 Certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={VaultHost}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(VaultHost);
        names.AddDnsName(LoginHost);
        names.AddDnsName(ForeignVaultHost);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
