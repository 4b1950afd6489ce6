using System.Security.Cryptography;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.KeySources.Azure.Errors;
using KeyInfra.Signing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.KeySources.Azure.Tests;

[TestClass]
public sealed class AzureKeyVaultMasterKeySourceTests
{
    [TestMethod]
    public async Task AcquireRing_ClientSecretCredential_ChallengeThenTokenThenTheSecret()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        var key = NewKeyText();
        vault.Put("master-key", key);
        await using var services = Services(vault, Options(vault));

        using var lease = await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();

        Assert.AreEqual(IdOf(key), lease.Ring.Current.Id);
        Assert.AreEqual(1, vault.Count($"{FakeKeyVault.LoginHost} POST /{FakeKeyVault.TenantId}/oauth2/v2.0/token"), "the token came from the tenant the challenge named");
        Assert.IsGreaterThanOrEqualTo(2, vault.Count($"{FakeKeyVault.VaultHost} GET /secrets/master-key"), "a first request without a token drew the challenge");
    }

    [TestMethod]
    public async Task AcquireRing_PreviousVersions_ArePreviousKeys()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        var (v1, v2) = (NewKeyText(), NewKeyText());
        var first = vault.Put("master-key", v1);
        vault.Put("master-key", v2);
        await using var services = Services(vault, Options(vault, o => o.PreviousSecretVersions.Add(first)));

        using var lease = await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();

        Assert.AreEqual(IdOf(v2), lease.Ring.Current.Id);
        Assert.IsNotNull(lease.Ring.Find(IdOf(v1)));
    }

    [TestMethod]
    public async Task AcquireRing_OptionsBoundFromConfiguration_ReadTheSecretAndItsPreviousVersions()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        var (v1, v2) = (NewKeyText(), NewKeyText());
        var first = vault.Put("master-key", v1);
        vault.Put("master-key", v2);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KeyInfra:AzureKeyVault:VaultUri"] = FakeKeyVault.VaultUri.ToString(),
            ["KeyInfra:AzureKeyVault:SecretName"] = "master-key",
            ["KeyInfra:AzureKeyVault:PreviousSecretVersions:0"] = first,
            ["KeyInfra:AzureKeyVault:RefreshInterval"] = "00:00:00",
        }).Build();
        var credential = Credential(vault, FakeKeyVault.ClientSecret);
        var services = new ServiceCollection();
        services.AddLogging();

        // The transport (loopback, the test's certificate) is code, as a host's own client options would be.
        services.AddKeyInfrastructure()
            .UseAzureKeyVaultMasterKey(configuration.GetSection("KeyInfra:AzureKeyVault"), credential)
            .UseAzureKeyVaultMasterKey(o => o.ClientOptions = new SecretClientOptions { Transport = vault.Transport() });
        await using var provider = services.BuildServiceProvider();

        using var lease = await provider.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();

        Assert.AreEqual(IdOf(v2), lease.Ring.Current.Id);
        Assert.IsNotNull(lease.Ring.Find(IdOf(v1)));
        Assert.AreSame(credential, provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<AzureKeyVaultMasterKeyOptions>>().Value.Credential);
    }

    [TestMethod]
    public async Task AcquireRing_WrongClientSecret_AccessDeniedWithoutTheSecret()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        vault.Put("master-key", NewKeyText());
        await using var services = Services(vault, Options(vault), clientSecret: "a-wrong-client-secret-value");

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AzureErrorCodes.AccessDenied, error.ErrorCode);
        Assert.DoesNotContain("a-wrong-client-secret-value", error.ToString());
    }

    [TestMethod]
    public async Task AcquireRing_NoRoleOnTheVault_AccessDeniedNamingTheRole()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        vault.Put("master-key", NewKeyText());
        vault.Forbidden = true;
        await using var services = Services(vault, Options(vault));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AzureErrorCodes.AccessDenied, error.ErrorCode);
        Assert.Contains("Key Vault Secrets User", error.Message);
    }

    [TestMethod]
    public async Task AcquireRing_MissingSecret_SecretNotFound()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        await using var services = Services(vault, Options(vault));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AzureErrorCodes.SecretNotFound, error.ErrorCode);
    }

    [TestMethod]
    public async Task AcquireRing_DisabledVersion_SecretNotFound()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        var version = vault.Put("master-key", NewKeyText());
        vault.Disable("master-key", version);
        await using var services = Services(vault, Options(vault));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AzureErrorCodes.SecretNotFound, error.ErrorCode);
    }

    [TestMethod]
    public async Task AcquireRing_NotAKey_MalformedWithoutTheValue()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        vault.Put("master-key", "correct horse battery staple, but not a key");
        await using var services = Services(vault, Options(vault));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, error.ErrorCode);
        Assert.DoesNotContain("battery staple", error.ToString());
    }

    [TestMethod]
    public async Task AcquireRing_VaultHostOutsideTheChallengesResource_NoTokenSentAccessDenied()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        vault.Put("master-key", NewKeyText());
        await using var services = Services(vault, Options(vault, o => o.VaultUri = new Uri($"https://{FakeKeyVault.ForeignVaultHost}/")));

        var error = await AcquireFailsAsync(services);

        Assert.AreEqual(AzureErrorCodes.AccessDenied, error.ErrorCode);
        Assert.AreEqual(1, vault.Count(FakeKeyVault.ForeignVaultHost), "only the request that drew the challenge");
        Assert.AreEqual(0, vault.Count($"{FakeKeyVault.LoginHost} POST"), "no token was asked for a host the challenge's resource does not cover");
    }

    [TestMethod]
    public async Task Options_NoCredential_RefusedSayingThereIsNoDefault()
    {
        var services = new ServiceCollection();
        services.AddKeyInfrastructure().UseAzureKeyVaultMasterKey(o =>
        {
            o.VaultUri = FakeKeyVault.VaultUri;
            o.SecretName = "master-key";
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsExactly<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AzureKeyVaultMasterKeyOptions>>().Value);

        Assert.Contains("never picks a default", error.Message);
    }

    [TestMethod]
    public async Task Refresh_NewVersion_BecomesCurrentTheOldStaysAndTheHostSignsAcrossIt()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        vault.Put("master-key", NewKeyText());
        var folder = Directory.CreateTempSubdirectory("keyinfra-azure-host").FullName;
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddKeyInfrastructure()
                .UseSqlite($"Data Source={Path.Combine(folder, "keyinfra.db")}")
                .UseAzureKeyVaultMasterKey(Options(vault, o =>
                {
                    o.Credential = Credential(vault, FakeKeyVault.ClientSecret);
                    o.RefreshInterval = TimeSpan.FromMilliseconds(200);
                }));
            builder.Services.AddHealthChecks().AddKeyInfrastructureAzureKeyVault();
            using var host = builder.Build();
            await host.StartAsync();
            var key = await host.Services.GetRequiredService<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "before"));
            var rotated = NewKeyText();
            vault.Put("master-key", rotated);

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                using var lease = await host.Services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();
                if (lease.Ring.Current.Id == IdOf(rotated))
                {
                    break;
                }

                Assert.IsLessThan(deadline, DateTime.UtcNow, "the new version did not become current");
                await Task.Delay(50);
            }

            var signed = await host.Services.GetRequiredService<ISigner>().SignAsync(new SignRequest(key.Id, "after"u8.ToArray()));
            Assert.IsNotEmpty(signed.Signature);
            Assert.AreEqual(HealthStatus.Healthy, (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["keyinfra.azure-key-vault"].Status);
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string NewKeyText() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes));

    private static string IdOf(string keyText) => MasterKey.Fingerprint(Convert.FromBase64String(keyText));

    private static ClientSecretCredential Credential(FakeKeyVault vault, string clientSecret)
    {
        var options = new ClientSecretCredentialOptions { AuthorityHost = new Uri($"https://{FakeKeyVault.LoginHost}/"), Transport = vault.Transport(), DisableInstanceDiscovery = true };
        options.Retry.MaxRetries = 0;
        return new ClientSecretCredential(FakeKeyVault.TenantId, FakeKeyVault.ClientId, clientSecret, options);
    }

    private static Action<AzureKeyVaultMasterKeyOptions> Options(FakeKeyVault vault, Action<AzureKeyVaultMasterKeyOptions>? more = null) => o =>
    {
        o.VaultUri = FakeKeyVault.VaultUri;
        o.SecretName = "master-key";
        o.RefreshInterval = TimeSpan.Zero;
        var client = new SecretClientOptions { Transport = vault.Transport() };
        client.Retry.MaxRetries = 0;
        o.ClientOptions = client;
        more?.Invoke(o);
    };

    private static ServiceProvider Services(FakeKeyVault vault, Action<AzureKeyVaultMasterKeyOptions> options, string clientSecret = FakeKeyVault.ClientSecret)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddKeyInfrastructure().UseAzureKeyVaultMasterKey(o =>
        {
            o.Credential = Credential(vault, clientSecret);
            options(o);
        });
        return services.BuildServiceProvider();
    }

    private static Task<MasterKeyException> AcquireFailsAsync(ServiceProvider services)
        => Assert.ThrowsExactlyAsync<MasterKeyException>(() => services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync().AsTask());
}
