using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.KeySources.Vault.Errors;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static KeyInfra.KeySources.Vault.Tests.VaultFixture;

namespace KeyInfra.KeySources.Vault.Tests;

/// <summary>KeyInfra as a host runs it: SQLite, the master key from the fake Vault, keys created and used across a rotation in Vault.</summary>
[TestClass]
public sealed class VaultHostTests
{
    [TestMethod]
    public async Task Host_NewVersionWrittenToVault_OldKeysStillSignAndNewKeysUseTheNewVersion()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        var (v1, v2) = (NewKeyText(), NewKeyText());
        vault.Put(Mount, SecretPath, new() { ["master_key"] = v1 });
        var token = vault.IssueToken();
        using var host = await StartAsync(vault.Folder, Options(vault, token, o => o.RefreshInterval = TimeSpan.FromMilliseconds(200)));
        var keys = host.Services.GetRequiredService<IKeyStore>();
        var signer = host.Services.GetRequiredService<ISigner>();
        var verifier = host.Services.GetRequiredService<IVerifier>();
        var before = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "before rotation"));

        vault.Put(Mount, SecretPath, new() { ["master_key"] = v2 });
        await EventuallyAsync(async () =>
        {
            using var lease = await host.Services.GetRequiredService<Encryption.IEncryptionKeyProvider>().AcquireRingAsync();
            return lease.Ring.Current.Id == IdOf(v2);
        }, "version 2 is the current master key");
        var after = await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "after rotation"));

        foreach (var key in new[] { before, after })
        {
            var data = "signed across a rotation"u8.ToArray();
            var signed = await signer.SignAsync(new SignRequest(key.Id, data));
            Assert.AreEqual(VerificationStatus.Valid, (await verifier.VerifyAsync(new VerificationRequest(key.Id, data, signed.Signature))).Status);
        }
    }

    [TestMethod]
    public async Task Host_KeysMadeUnderVaultsKey_SignAfterARestart()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        vault.Put(Mount, SecretPath, new() { ["master_key"] = NewKeyText() });
        var options = Options(vault, vault.IssueToken());
        KeyId id;
        using (var first = await StartAsync(vault.Folder, options))
        {
            id = (await first.Services.GetRequiredService<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP384, "survives"))).Id;
            await first.StopAsync();
        }

        using var second = await StartAsync(vault.Folder, options);
        var signed = await second.Services.GetRequiredService<ISigner>().SignAsync(new SignRequest(id, "after restart"u8.ToArray()));

        Assert.IsNotEmpty(signed.Signature);
    }

    [TestMethod]
    public async Task Host_VaultUnreachableAtStart_StartFailsWithTheSourcesError()
    {
        Uri address;
        string folder;
        await using (var vault = await FakeVaultServer.StartAsync())
        {
            address = vault.Address;
            folder = Directory.CreateTempSubdirectory("keyinfra-vault-host").FullName;
        }

        try
        {
            var error = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => StartAsync(folder, o =>
            {
                o.Address = address;
                o.Path = SecretPath;
                o.Token = "hvs.x";
                o.MaxRetries = 0;
                o.RefreshInterval = TimeSpan.Zero;
            }));

            Assert.AreEqual(VaultErrorCodes.Unreachable, error.ErrorCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<IHost> StartAsync(string folder, Action<VaultMasterKeyOptions> options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddKeyInfrastructure()
            .UseSqlite($"Data Source={Path.Combine(folder, "keyinfra.db")}")
            .UseVaultMasterKey(options);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
