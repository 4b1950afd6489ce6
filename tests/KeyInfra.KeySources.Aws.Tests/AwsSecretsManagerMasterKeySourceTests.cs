using System.Security.Cryptography;
using Amazon.Runtime;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.KeySources.Aws.Errors;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using static KeyInfra.KeySources.Aws.Tests.SourceAssert;

namespace KeyInfra.KeySources.Aws.Tests;

[TestClass]
public sealed class AwsSecretsManagerMasterKeySourceTests
{
    [TestMethod]
    public async Task AcquireRing_SecretString_CurrentIsAwsCurrentAndAwsPreviousIsPrevious()
    {
        var name = Moto.NewName("string");
        var (v1, v2) = (NewKeyText(), NewKeyText());
        await Moto.CreateSecretAsync(name, v1);
        await Moto.PutSecretValueAsync(name, v2);
        await using var services = Services(Options(name));

        using var lease = await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();

        Assert.AreEqual(IdOf(v2), lease.Ring.Current.Id);
        Assert.IsNotNull(lease.Ring.Find(IdOf(v1)));
        Assert.AreEqual(1, lease.Ring.PreviousCount);
    }

    [TestMethod]
    public async Task AcquireRing_SecretBinaryOfTheKeyBytes_ReadsThem()
    {
        var name = Moto.NewName("binary");
        var key = RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes);
        await Moto.CreateSecretAsync(name, binary: key);
        await using var services = Services(Options(name));

        using var lease = await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();

        Assert.AreEqual(MasterKey.Fingerprint(key), lease.Ring.Current.Id);
        Assert.AreEqual(0, lease.Ring.PreviousCount);
    }

    [TestMethod]
    public async Task AcquireRing_JsonSecretWithField_ReadsTheField()
    {
        var name = Moto.NewName("json");
        var hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes));
        await Moto.CreateSecretAsync(name, $$"""{"username":"x","master_key":"{{hex}}"}""");
        await using var services = Services(Options(name, o => o.JsonField = "master_key"));

        using var lease = await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();

        Assert.AreEqual(MasterKey.Fingerprint(Convert.FromHexString(hex)), lease.Ring.Current.Id);
    }

    [TestMethod]
    public async Task AcquireRing_JsonSecretWithoutTheField_SecretNotFoundNamingIt()
    {
        var name = Moto.NewName("json-missing");
        await Moto.CreateSecretAsync(name, """{"other":"x"}""");
        await using var services = Services(Options(name, o => o.JsonField = "master_key"));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AwsErrorCodes.SecretNotFound, error.ErrorCode);
        Assert.Contains("'master_key'", error.Message);
    }

    [TestMethod]
    public async Task AcquireRing_WrongSecretAccessKey_AccessDeniedAsAwsWould()
    {
        var name = Moto.NewName("signature");
        await Moto.CreateSecretAsync(name, NewKeyText());
        var wrong = new BasicAWSCredentials(Moto.Admin.GetCredentials().AccessKey, "not-the-secret-access-key-moto-issued");
        await using var services = Services(Options(name, o => o.Credentials = wrong));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AwsErrorCodes.AccessDenied, error.ErrorCode);
        Assert.DoesNotContain("not-the-secret-access-key-moto-issued", error.ToString());
    }

    [TestMethod]
    public async Task AcquireRing_IdentityWithoutGetSecretValue_AccessDenied()
    {
        var name = Moto.NewName("policy");
        await Moto.CreateSecretAsync(name, NewKeyText());
        await using var services = Services(Options(name, o => o.Credentials = Moto.Reader));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AwsErrorCodes.AccessDenied, error.ErrorCode);
        Assert.Contains("secretsmanager:GetSecretValue", error.Message);
    }

    [TestMethod]
    public async Task AcquireRing_NoSuchSecret_SecretNotFound()
    {
        await using var services = Services(Options(Moto.NewName("missing")));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AwsErrorCodes.SecretNotFound, error.ErrorCode);
    }

    [TestMethod]
    [DataRow("c2hvcnQ=")]
    [DataRow("a secret that is certainly not a key but long")]
    public async Task AcquireRing_NotAKey_MalformedWithoutTheValue(string value)
    {
        var name = Moto.NewName("malformed");
        await Moto.CreateSecretAsync(name, value);
        await using var services = Services(Options(name));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, error.ErrorCode);
        Assert.Contains(name, error.Message);
        Assert.DoesNotContain(value, error.ToString());
    }

    [TestMethod]
    public async Task AcquireRing_NothingListening_Unreachable()
    {
        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var closed = ((System.Net.IPEndPoint)port.LocalEndpoint).Port;
        port.Stop();
        await using var services = Services(Options("keyinfra/none", o =>
        {
            o.ServiceUrl = new Uri($"http://127.0.0.1:{closed}/");
            o.MaxRetries = 1;
        }));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AwsErrorCodes.Unreachable, error.ErrorCode);
    }

    [TestMethod]
    public async Task Refresh_SecretRotated_NewVersionIsCurrentOldStaysAndHealthIsHealthy()
    {
        var name = Moto.NewName("refresh");
        var (v1, v2) = (NewKeyText(), NewKeyText());
        await Moto.CreateSecretAsync(name, v1);
        await using var services = Services(Options(name, o =>
        {
            o.PreviousVersionStage = null;
            o.RefreshInterval = TimeSpan.FromMilliseconds(200);
        }));
        var provider = services.GetRequiredService<IEncryptionKeyProvider>();
        using (var first = await provider.AcquireRingAsync())
        {
            Assert.AreEqual(IdOf(v1), first.Ring.Current.Id);
        }

        await Moto.PutSecretValueAsync(name, v2);

        await EventuallyAsync(async () =>
        {
            using var lease = await provider.AcquireRingAsync();
            return lease.Ring.Current.Id == IdOf(v2);
        }, "the rotated version is current");
        using var ring = await provider.AcquireRingAsync();
        Assert.IsNotNull(ring.Ring.Find(IdOf(v1)), "the version the process used stays readable");
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.AreEqual(HealthStatus.Healthy, report.Entries["keyinfra.aws-secrets-manager"].Status);
    }

    [TestMethod]
    public async Task HealthCheck_NoKeyReadable_UnhealthyWithTheCode()
    {
        await using var services = Services(Options(Moto.NewName("health")));

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.AreEqual(HealthStatus.Unhealthy, report.Entries["keyinfra.aws-secrets-manager"].Status);
        Assert.Contains(AwsErrorCodes.SecretNotFound, report.Entries["keyinfra.aws-secrets-manager"].Description!);
    }

    [TestMethod]
    public async Task Host_KeysCreatedBeforeARotation_StillSignAfterIt()
    {
        var name = Moto.NewName("host");
        await Moto.CreateSecretAsync(name, NewKeyText());
        var folder = Directory.CreateTempSubdirectory("keyinfra-aws-host").FullName;
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddKeyInfrastructure()
                .UseSqlite($"Data Source={Path.Combine(folder, "keyinfra.db")}")
                .UseAwsSecretsManagerMasterKey(Options(name, o => o.RefreshInterval = TimeSpan.FromMilliseconds(200)));
            using var host = builder.Build();
            await host.StartAsync();
            var key = await host.Services.GetRequiredService<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "before rotation"));
            var rotated = NewKeyText();
            await Moto.PutSecretValueAsync(name, rotated);
            await EventuallyAsync(async () =>
            {
                using var lease = await host.Services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();
                return lease.Ring.Current.Id == IdOf(rotated);
            }, "the rotated version is current");

            var data = "signed after the rotation"u8.ToArray();
            var signed = await host.Services.GetRequiredService<ISigner>().SignAsync(new SignRequest(key.Id, data));

            Assert.AreEqual(VerificationStatus.Valid, (await host.Services.GetRequiredService<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, data, signed.Signature))).Status);
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string NewKeyText() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes));

    private static string IdOf(string keyText) => MasterKey.Fingerprint(Convert.FromBase64String(keyText));

    private static Action<AwsSecretsManagerMasterKeyOptions> Options(string secretId, Action<AwsSecretsManagerMasterKeyOptions>? more = null) => o =>
    {
        o.SecretId = secretId;
        o.Region = Moto.Region;
        o.ServiceUrl = Moto.Url;
        o.Credentials = Moto.Admin;
        o.MaxRetries = 0;
        o.RefreshInterval = TimeSpan.Zero;
        more?.Invoke(o);
    };

    private static ServiceProvider Services(Action<AwsSecretsManagerMasterKeyOptions> options)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddKeyInfrastructure().UseAwsSecretsManagerMasterKey(options);
        services.AddHealthChecks().AddKeyInfrastructureAwsSecretsManager();
        return services.BuildServiceProvider();
    }
}
