using System.Security.Cryptography;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.KeySources.Aws.Errors;
using KeyInfra.Signing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using static KeyInfra.KeySources.Aws.Tests.SourceAssert;

namespace KeyInfra.KeySources.Aws.Tests;

[TestClass]
public sealed class AwsKmsMasterKeySourceTests
{
    [TestMethod]
    public async Task AcquireRing_DataKeyMadeOnce_DecryptsToTheSameKeyEveryTime()
    {
        var keyId = await Moto.CreateKmsKeyAsync();
        using var kms = Moto.Kms();
        var encrypted = await AwsKmsDataKeys.GenerateAsync(kms, keyId, "billing-test");

        string first;
        await using (var services = Services(Options(keyId, encrypted, "billing-test")))
        {
            using var lease = await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();
            first = lease.Ring.Current.Id;
        }

        await using var again = Services(Options(keyId, encrypted, "billing-test"));
        using var second = await again.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();
        Assert.AreEqual(first, second.Ring.Current.Id);
        Assert.AreEqual(0, second.Ring.PreviousCount);
    }

    [TestMethod]
    public async Task AcquireRing_PreviousDataKey_IsAPreviousKey()
    {
        var keyId = await Moto.CreateKmsKeyAsync();
        using var kms = Moto.Kms();
        var old = await AwsKmsDataKeys.GenerateAsync(kms, keyId, "rotating");
        var current = await AwsKmsDataKeys.GenerateAsync(kms, keyId, "rotating");
        await using var services = Services(Options(keyId, current, "rotating", o => o.PreviousEncryptedDataKeys.Add(old)));

        using var lease = await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();

        Assert.AreEqual(1, lease.Ring.PreviousCount);
    }

    [TestMethod]
    public async Task AcquireRing_OptionsBoundFromConfiguration_DecryptTheDataKeyAndItsPredecessor()
    {
        var keyId = await Moto.CreateKmsKeyAsync();
        using var kms = Moto.Kms();
        var old = await AwsKmsDataKeys.GenerateAsync(kms, keyId, "configured");
        var current = await AwsKmsDataKeys.GenerateAsync(kms, keyId, "configured");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KeyInfra:AwsKms:KeyId"] = keyId,
            ["KeyInfra:AwsKms:EncryptedDataKey"] = current,
            ["KeyInfra:AwsKms:PreviousEncryptedDataKeys:0"] = old,
            ["KeyInfra:AwsKms:Deployment"] = "configured",
            ["KeyInfra:AwsKms:Region"] = Moto.Region,
            ["KeyInfra:AwsKms:ServiceUrl"] = Moto.Url.ToString(),
            ["KeyInfra:AwsKms:MaxRetries"] = "0",
            ["KeyInfra:AwsKms:RefreshInterval"] = "00:00:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();

        // Credentials are code: configuration cannot hold them.
        services.AddKeyInfrastructure()
            .UseAwsKmsMasterKey(configuration.GetSection("KeyInfra:AwsKms"))
            .UseAwsKmsMasterKey(o => o.Credentials = Moto.Admin);
        await using var provider = services.BuildServiceProvider();

        using var lease = await provider.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();

        Assert.AreEqual(1, lease.Ring.PreviousCount);
        Assert.AreEqual("configured", provider.GetRequiredService<IOptions<AwsKmsMasterKeyOptions>>().Value.Deployment);
    }

    [TestMethod]
    public async Task AcquireRing_AnotherDeploymentsContext_RefusedByKms()
    {
        var keyId = await Moto.CreateKmsKeyAsync();
        using var kms = Moto.Kms();
        var encrypted = await AwsKmsDataKeys.GenerateAsync(kms, keyId, "production");
        await using var services = Services(Options(keyId, encrypted, "staging"));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AwsErrorCodes.DataKeyRefused, error.ErrorCode);
        Assert.Contains("staging", error.Message);
    }

    [TestMethod]
    public async Task AcquireRing_TamperedCiphertext_RefusedByKms()
    {
        var keyId = await Moto.CreateKmsKeyAsync();
        using var kms = Moto.Kms();
        var blob = Convert.FromBase64String(await AwsKmsDataKeys.GenerateAsync(kms, keyId, "tamper"));
        blob[^1] ^= 0x01;
        await using var services = Services(Options(keyId, Convert.ToBase64String(blob), "tamper"));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AwsErrorCodes.DataKeyRefused, error.ErrorCode);
    }

    [TestMethod]
    public async Task AcquireRing_IdentityWithoutDecrypt_AccessDenied()
    {
        var keyId = await Moto.CreateKmsKeyAsync();
        using var kms = Moto.Kms();
        var encrypted = await AwsKmsDataKeys.GenerateAsync(kms, keyId, "denied");
        await using var services = Services(Options(keyId, encrypted, "denied", o => o.Credentials = Moto.Reader));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AwsErrorCodes.AccessDenied, error.ErrorCode);
        Assert.Contains("kms:Decrypt", error.Message);
    }

    [TestMethod]
    public async Task AcquireRing_NotBase64_MalformedNamingTheOption()
    {
        await using var services = Services(Options("any", "not base64 !", "x"));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, error.ErrorCode);
        Assert.Contains("EncryptedDataKey", error.Message);
    }

    [TestMethod]
    public async Task Options_NoDeployment_RefusedAtStart()
    {
        await using var services = Services(o =>
        {
            o.KeyId = "k";
            o.EncryptedDataKey = "AAAA";
            o.Region = Moto.Region;
        });

        var error = Assert.ThrowsExactly<OptionsValidationException>(() => services.GetRequiredService<IOptions<AwsKmsMasterKeyOptions>>().Value);

        Assert.Contains("Deployment", error.Message);
    }

    [TestMethod]
    public async Task Host_KeysWrappedUnderTheKmsDataKey_SignAfterARestart()
    {
        var keyId = await Moto.CreateKmsKeyAsync();
        using var kms = Moto.Kms();
        var encrypted = await AwsKmsDataKeys.GenerateAsync(kms, keyId, "host");
        var folder = Directory.CreateTempSubdirectory("keyinfra-kms-host").FullName;
        try
        {
            KeyId id;
            using (var host = await StartAsync(folder, Options(keyId, encrypted, "host")))
            {
                id = (await host.Services.GetRequiredService<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "kms"))).Id;
                Assert.AreEqual(HealthStatus.Healthy, (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["keyinfra.aws-kms"].Status);
                await host.StopAsync();
            }

            using var restarted = await StartAsync(folder, Options(keyId, encrypted, "host"));
            var signed = await restarted.Services.GetRequiredService<ISigner>().SignAsync(new SignRequest(id, "after restart"u8.ToArray()));
            Assert.IsNotEmpty(signed.Signature);
            await restarted.StopAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Action<AwsKmsMasterKeyOptions> Options(string keyId, string encrypted, string deployment, Action<AwsKmsMasterKeyOptions>? more = null) => o =>
    {
        o.KeyId = keyId;
        o.EncryptedDataKey = encrypted;
        o.Deployment = deployment;
        o.Region = Moto.Region;
        o.ServiceUrl = Moto.Url;
        o.Credentials = Moto.Admin;
        o.MaxRetries = 0;
        o.RefreshInterval = TimeSpan.Zero;
        more?.Invoke(o);
    };

    private static ServiceProvider Services(Action<AwsKmsMasterKeyOptions> options)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddKeyInfrastructure().UseAwsKmsMasterKey(options);
        return services.BuildServiceProvider();
    }

    private static async Task<IHost> StartAsync(string folder, Action<AwsKmsMasterKeyOptions> options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddKeyInfrastructure()
            .UseSqlite($"Data Source={Path.Combine(folder, "keyinfra.db")}")
            .UseAwsKmsMasterKey(options);
        builder.Services.AddHealthChecks().AddKeyInfrastructureAwsKms();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

}
