using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace KeyInfra.KeySources.Aws.Tests;

/// <summary>
/// The moto AWS emulator the test script started on loopback (<c>KEYINFRA_TEST_MOTO_URL</c>), set up once per run: an
/// IAM user allowed everything and one allowed nothing but listing secrets, each with an access key; then moto's
/// signature and IAM checks are switched on (<c>POST /moto-api/reset-auth 0</c>), so every later request must be signed
/// with a key moto issued, as AWS requires. Secrets are written with signed Secrets Manager calls.
/// </summary>
[TestClass]
public static class Moto
{
    public const string Region = "us-east-1";

    public static Uri Url { get; private set; } = null!;

    /// <summary>The access key of the user allowed everything.</summary>
    public static BasicAWSCredentials Admin { get; private set; } = null!;

    /// <summary>The access key of the user allowed only secretsmanager:ListSecrets.</summary>
    public static BasicAWSCredentials Reader { get; private set; } = null!;

    [AssemblyInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        // The SDK must never probe the instance metadata address; every client here gets credentials and a loopback endpoint.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        var url = Environment.GetEnvironmentVariable("KEYINFRA_TEST_MOTO_URL");
        if (string.IsNullOrEmpty(url))
        {
            const string reason = "KEYINFRA_TEST_MOTO_URL is not set: run the tests through ./test.sh, or `source tests/provision-moto.sh && keyinfra_moto_start` first.";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail(reason);
            }

            Assert.Inconclusive(reason);
        }

        Url = new Uri(url.TrimEnd('/') + "/");
        using var plain = new HttpClient();
        (await plain.PostAsync(new Uri(Url, "moto-api/reset-auth"), new StringContent("inf"))).EnsureSuccessStatusCode();
        (await plain.PostAsync(new Uri(Url, "moto-api/reset"), null)).EnsureSuccessStatusCode();
        Admin = await CreateUserAsync("keyinfra-admin", "*");
        Reader = await CreateUserAsync("keyinfra-reader", "secretsmanager:ListSecrets");
        (await plain.PostAsync(new Uri(Url, "moto-api/reset-auth"), new StringContent("0"))).EnsureSuccessStatusCode();
    }

    [AssemblyCleanup]
    public static async Task CleanupAsync()
    {
        if (Url is not null)
        {
            using var plain = new HttpClient();
            await plain.PostAsync(new Uri(Url, "moto-api/reset-auth"), new StringContent("inf"));
        }
    }

    /// <summary>Creates a secret (signed as the admin); returns its version id.</summary>
    public static async Task<string> CreateSecretAsync(string name, string? text = null, byte[]? binary = null)
    {
        var body = new JsonObject { ["Name"] = name };
        if (text is not null)
        {
            body["SecretString"] = text;
        }

        if (binary is not null)
        {
            body["SecretBinary"] = Convert.ToBase64String(binary);
        }

        return (await CallAsync("CreateSecret", body))["VersionId"]!.GetValue<string>();
    }

    /// <summary>Writes a new current version (the old one moves to AWSPREVIOUS); returns its version id.</summary>
    public static async Task<string> PutSecretValueAsync(string name, string text)
        => (await CallAsync("PutSecretValue", new JsonObject { ["SecretId"] = name, ["SecretString"] = text }))["VersionId"]!.GetValue<string>();

    /// <summary>A KMS client on moto, signing with <paramref name="credentials"/> (the admin's by default).</summary>
    public static Amazon.KeyManagementService.AmazonKeyManagementServiceClient Kms(AWSCredentials? credentials = null)
        => new(credentials ?? Admin, new Amazon.KeyManagementService.AmazonKeyManagementServiceConfig { ServiceURL = Url.ToString(), AuthenticationRegion = Region, MaxErrorRetry = 0 });

    /// <summary>Creates a symmetric KMS key (signed as the admin); returns its id.</summary>
    public static async Task<string> CreateKmsKeyAsync()
    {
        using var kms = Kms();
        return (await kms.CreateKeyAsync(new Amazon.KeyManagementService.Model.CreateKeyRequest { Description = "KeyInfra test" })).KeyMetadata.KeyId;
    }

    public static string NewName(string prefix) => $"keyinfra/{prefix}/{Guid.NewGuid():N}";

    private static async Task<JsonNode> CallAsync(string action, JsonObject body)
    {
        using var http = new HttpClient(new SigV4SigningHandler(Admin, RegionEndpoint.GetBySystemName(Region), "secretsmanager", new HttpClientHandler()));
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", "secretsmanager." + action);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.IsTrue(response.IsSuccessStatusCode, $"moto refused {action}: {text}");
        return JsonNode.Parse(text)!;
    }

    // IAM's query API, while moto does not check signatures yet (the signature only routes the call to IAM).
    private static async Task<BasicAWSCredentials> CreateUserAsync(string user, string action)
    {
        var policy = JsonSerializer.Serialize(new { Version = "2012-10-17", Statement = new[] { new { Effect = "Allow", Action = action, Resource = "*" } } });
        await IamAsync(new() { ["Action"] = "CreateUser", ["UserName"] = user });
        await IamAsync(new() { ["Action"] = "PutUserPolicy", ["UserName"] = user, ["PolicyName"] = "keyinfra", ["PolicyDocument"] = policy });
        var key = await IamAsync(new() { ["Action"] = "CreateAccessKey", ["UserName"] = user });
        string Value(string name) => key.Descendants().Single(e => e.Name.LocalName == name).Value;
        return new BasicAWSCredentials(Value("AccessKeyId"), Value("SecretAccessKey"));
    }

    private static async Task<XDocument> IamAsync(Dictionary<string, string> form)
    {
        form["Version"] = "2010-05-08";
        using var http = new HttpClient(new SigV4SigningHandler(new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "bootstrap"), RegionEndpoint.USEast1, "iam", new HttpClientHandler()));
        using var response = await http.PostAsync(Url, new FormUrlEncodedContent(form));
        var text = await response.Content.ReadAsStringAsync();
        Assert.IsTrue(response.IsSuccessStatusCode, $"moto refused IAM {form["Action"]}: {text}");
        return XDocument.Parse(text);
    }
}
