using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyInfra.KeySources.Vault.Tests;

/// <summary>
/// An in-process Vault on loopback HTTPS (Kestrel, a CA and server certificate of its own) that follows Vault's
/// documented HTTP API for what KeyInfra calls: <c>GET /v1/{mount}/data/{path}[?version=n]</c> (KV v2, the
/// <c>{"data":{"data":…,"metadata":…}}</c> shape, 404 with <c>data: null</c> for a deleted version),
/// <c>POST /v1/auth/approle/login</c>, <c>POST /v1/auth/token/renew-self</c>; <c>X-Vault-Token</c>,
/// <c>X-Vault-Namespace</c>; and Vault's error bodies <c>{"errors":[…]}</c> for 400, 403, 404 and 503 (sealed).
/// </summary>
internal sealed class FakeVaultServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, List<Dictionary<string, string>?>> _secrets = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private readonly ConcurrentQueue<(string Method, string Path, string? Token, string? Namespace)> _requests = new();

    private FakeVaultServer(WebApplication app, string folder, string caPath)
    {
        _app = app;
        Folder = folder;
        CaCertificatePath = caPath;
    }

    /// <summary>The server's base address (https://127.0.0.1:port/).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>A PEM file with the CA that issued the server's certificate.</summary>
    public string CaCertificatePath { get; }

    public string Folder { get; }

    /// <summary>When set, every request must carry this X-Vault-Namespace (Vault Enterprise), or it is refused with 403.</summary>
    public string? RequiredNamespace { get; set; }

    /// <summary>A sealed Vault answers 503 to everything.</summary>
    public bool Sealed { get; set; }

    /// <summary>The AppRole credentials that log in, and the lease of the tokens they get.</summary>
    public (string RoleId, string SecretId)? AppRole { get; set; }

    public TimeSpan AppRoleLease { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Replaces every answer to secret reads with this raw body and status (for malformed answers).</summary>
    public (HttpStatusCode Status, string Body)? RawSecretAnswer { get; set; }

    public IReadOnlyCollection<(string Method, string Path, string? Token, string? Namespace)> Requests => _requests;

    public static async Task<FakeVaultServer> StartAsync()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "keyinfra-vault-tests", Guid.NewGuid().ToString("N"))).FullName;
        var (ca, server) = Certificates();
        var caPath = Path.Combine(folder, "vault-ca.pem");
        await File.WriteAllTextAsync(caPath, ca.ExportCertificatePem());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(server)));
        var app = builder.Build();
        var fake = new FakeVaultServer(app, folder, caPath);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.Address = new Uri(address + "/");
        return fake;
    }

    /// <summary>A token Vault accepts (until <paramref name="expires"/>, or for an hour).</summary>
    public string IssueToken(DateTimeOffset? expires = null)
    {
        var token = "hvs." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _tokens[token] = expires ?? DateTimeOffset.UtcNow.AddHours(1);
        return token;
    }

    public void RevokeAllTokens() => _tokens.Clear();

    /// <summary>Writes a new version of the secret (<c>vault kv put</c>); returns its version number.</summary>
    public int Put(string mount, string path, Dictionary<string, string> data)
    {
        var versions = _secrets.GetOrAdd(mount + "/" + path, _ => []);
        lock (versions)
        {
            versions.Add(data);
            return versions.Count;
        }
    }

    /// <summary>Soft-deletes one version (<c>vault kv delete -versions=n</c>).</summary>
    public void DeleteVersion(string mount, string path, int version)
    {
        var versions = _secrets[mount + "/" + path];
        lock (versions)
        {
            versions[version - 1] = null;
        }
    }

    public int Count(string pathPrefix) => _requests.Count(r => r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var token = request.Headers["X-Vault-Token"].FirstOrDefault();
        var ns = request.Headers["X-Vault-Namespace"].FirstOrDefault();
        _requests.Enqueue((request.Method, request.Path.Value ?? string.Empty, token, ns));
        if (Sealed)
        {
            await ErrorAsync(context, HttpStatusCode.ServiceUnavailable, "Vault is sealed");
            return;
        }

        if (RequiredNamespace is not null && ns != RequiredNamespace)
        {
            await ErrorAsync(context, HttpStatusCode.Forbidden, "permission denied");
            return;
        }

        var path = request.Path.Value!;
        if (request.Method == "POST" && path == "/v1/auth/approle/login")
        {
            await LoginAsync(context);
            return;
        }

        if (!IsValid(token))
        {
            await ErrorAsync(context, HttpStatusCode.Forbidden, "permission denied");
            return;
        }

        if (request.Method == "POST" && path == "/v1/auth/token/renew-self")
        {
            _tokens[token!] = DateTimeOffset.UtcNow.Add(AppRoleLease);
            await JsonAsync(context, HttpStatusCode.OK, Auth(token!));
            return;
        }

        var dataAt = path.IndexOf("/data/", StringComparison.Ordinal);
        if (request.Method == "GET" && path.StartsWith("/v1/", StringComparison.Ordinal) && dataAt > 3)
        {
            await ReadAsync(context, path[4..dataAt] + "/" + Uri.UnescapeDataString(path[(dataAt + 6)..]));
            return;
        }

        await ErrorAsync(context, HttpStatusCode.NotFound);
    }

    private bool IsValid(string? token) => token is not null && _tokens.TryGetValue(token, out var expires) && expires > DateTimeOffset.UtcNow;

    private async Task LoginAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        if (AppRole is not { } role || body?["role_id"]?.GetValue<string>() != role.RoleId || body?["secret_id"]?.GetValue<string>() != role.SecretId)
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "invalid role or secret ID");
            return;
        }

        await JsonAsync(context, HttpStatusCode.OK, Auth(IssueToken(DateTimeOffset.UtcNow.Add(AppRoleLease))));
    }

    private JsonObject Auth(string token) => new()
    {
        ["request_id"] = Guid.NewGuid().ToString(),
        ["lease_id"] = string.Empty,
        ["renewable"] = false,
        ["lease_duration"] = 0,
        ["data"] = null,
        ["auth"] = new JsonObject
        {
            ["client_token"] = token,
            ["accessor"] = Guid.NewGuid().ToString(),
            ["policies"] = new JsonArray("default", "keyinfra"),
            ["token_policies"] = new JsonArray("default", "keyinfra"),
            ["metadata"] = new JsonObject { ["role_name"] = "keyinfra" },
            ["lease_duration"] = (long)AppRoleLease.TotalSeconds,
            ["renewable"] = true,
            ["entity_id"] = Guid.NewGuid().ToString(),
            ["token_type"] = "service",
            ["orphan"] = true,
        },
    };

    private async Task ReadAsync(HttpContext context, string key)
    {
        if (RawSecretAnswer is { } raw)
        {
            context.Response.StatusCode = (int)raw.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(raw.Body);
            return;
        }

        if (!_secrets.TryGetValue(key, out var versions))
        {
            await ErrorAsync(context, HttpStatusCode.NotFound);
            return;
        }

        Dictionary<string, string>? data;
        int version;
        lock (versions)
        {
            version = context.Request.Query.TryGetValue("version", out var v) && int.Parse(v!, System.Globalization.CultureInfo.InvariantCulture) is var n and > 0 ? n : versions.Count;
            if (version > versions.Count)
            {
                data = null;
                version = -1;
            }
            else
            {
                data = versions[version - 1];
            }
        }

        if (version < 0)
        {
            await ErrorAsync(context, HttpStatusCode.NotFound);
            return;
        }

        var metadata = new JsonObject
        {
            ["created_time"] = "2026-12-01T10:00:00.000000000Z",
            ["custom_metadata"] = null,
            ["deletion_time"] = data is null ? "2026-12-01T11:00:00.000000000Z" : string.Empty,
            ["destroyed"] = false,
            ["version"] = version,
        };
        var fields = data is null ? null : new JsonObject(data.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value)));
        await JsonAsync(context, data is null ? HttpStatusCode.NotFound : HttpStatusCode.OK, new JsonObject
        {
            ["request_id"] = Guid.NewGuid().ToString(),
            ["lease_id"] = string.Empty,
            ["renewable"] = false,
            ["lease_duration"] = 0,
            ["data"] = new JsonObject { ["data"] = fields, ["metadata"] = metadata },
            ["wrap_info"] = null,
            ["warnings"] = null,
            ["auth"] = null,
        });
    }

    private static Task ErrorAsync(HttpContext context, HttpStatusCode status, params string[] errors)
        => JsonAsync(context, status, new JsonObject { ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode?)e)]) });

    private static async Task JsonAsync(HttpContext context, HttpStatusCode status, JsonObject body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }

    private static (X509Certificate2 Ca, X509Certificate2 Server) Certificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=KeyInfra test Vault CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(16));
        var server = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12), null);
        return (X509CertificateLoader.LoadCertificate(ca.RawData), server);
    }
}
