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

    [TestMethod]
    public async Task Host_ChainFromTheEnvironmentKeyToVault_ReadsTheOldKeysWritesUnderVault_AndAfterRewrapTheEnvironmentKeyRetires()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        var vaultKey = NewKeyText();
        vault.Put(Mount, SecretPath, new() { ["master_key"] = vaultKey });
        var options = Options(vault, vault.IssueToken());
        var environmentKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var data = "signed across sources"u8.ToArray();
        KeyId id;
        using (var before = await StartAsync(vault.Folder, b => b.UseEnvironmentMasterKey(o => { o.MasterKey = environmentKey; o.PreviousMasterKeys = null; })))
        {
            id = (await before.Services.GetRequiredService<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "under the environment key"))).Id;
            await before.StopAsync();
        }

        Encryption.Rotation.MasterKeyRewrapSummary summary;
        using (var chained = await StartAsync(vault.Folder, b => b.UseMasterKeyChain(chain => chain
            .Current(source => source.UseVaultMasterKey(options))
            .Previous(source => source.UseEnvironmentMasterKey(o => { o.MasterKey = environmentKey; o.PreviousMasterKeys = null; })))))
        {
            var signed = await chained.Services.GetRequiredService<ISigner>().SignAsync(new SignRequest(id, data));
            Assert.AreEqual(VerificationStatus.Valid, (await chained.Services.GetRequiredService<IVerifier>().VerifyAsync(new VerificationRequest(id, data, signed.Signature))).Status);
            var rotation = chained.Services.GetRequiredService<Encryption.Rotation.IMasterKeyRotation>();
            Assert.AreEqual(IdOf(vaultKey), (await rotation.GetStatusAsync()).CurrentKeyId);
            summary = await rotation.RewrapAsync();
            var environmentId = summary.StillUsed.Count == 0 ? (await rotation.GetStatusAsync()).Keys.Single(k => !k.IsCurrent).Id : "still used";
            await rotation.RetireAsync(environmentId);
            await chained.StopAsync();
        }

        Assert.IsTrue(summary.Complete);
        using var vaultOnly = await StartAsync(vault.Folder, b => b.UseVaultMasterKey(options));
        var again = await vaultOnly.Services.GetRequiredService<ISigner>().SignAsync(new SignRequest(id, data));
        Assert.AreEqual(VerificationStatus.Valid, (await vaultOnly.Services.GetRequiredService<IVerifier>().VerifyAsync(new VerificationRequest(id, data, again.Signature))).Status);
        var report = await vaultOnly.Services.GetRequiredService<Verification.Chain.IVerificationLogAuditor>().VerifyAsync(new Verification.Chain.LogAuditRequest());
        Assert.IsTrue(report.IsClean, string.Join(", ", report.BrokenLinks));
    }

    [TestMethod]
    public async Task Host_ChainWithAPreviousVaultSourceUnreachable_StartFailsWithKI2005NamingIt()
    {
        Uri address;
        await using (var gone = await FakeVaultServer.StartAsync())
        {
            address = gone.Address;
        }

        var folder = Directory.CreateTempSubdirectory("keyinfra-vault-chain").FullName;
        try
        {
            var error = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => StartAsync(folder, b => b.UseMasterKeyChain(chain => chain
                .Current(source => source.UseEnvironmentMasterKey(o => { o.MasterKey = NewKeyText(); o.PreviousMasterKeys = null; }))
                .Previous(source => source.UseVaultMasterKey(o =>
                {
                    o.Address = address;
                    o.Path = SecretPath;
                    o.Token = "hvs.x";
                    o.MaxRetries = 0;
                    o.RefreshInterval = TimeSpan.Zero;
                })))));

            Assert.AreEqual(ErrorCodes.MasterKeySourceFailed, error.ErrorCode);
            Assert.Contains("previous 1 (VaultMasterKeySource)", error.Message);
            Assert.AreEqual(VaultErrorCodes.Unreachable, ((MasterKeyException)error.InnerException!).ErrorCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<IHost> StartAsync(string folder, Action<VaultMasterKeyOptions> options)
        => StartAsync(folder, b => b.UseVaultMasterKey(options));

    private static async Task<IHost> StartAsync(string folder, Action<IKeyInfrastructureBuilder> useMasterKey)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        useMasterKey(builder.Services.AddKeyInfrastructure().UseSqlite($"Data Source={Path.Combine(folder, "keyinfra.db")}"));
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
