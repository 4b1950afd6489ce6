using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.KeySources.Vault.Errors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using static KeyInfra.KeySources.Vault.Tests.VaultFixture;

namespace KeyInfra.KeySources.Vault.Tests;

[TestClass]
public sealed class VaultMasterKeySourceTests
{
    [TestMethod]
    public async Task AcquireRing_TokenAuth_NewestVersionIsCurrentAndTheOneBeforeIsPrevious()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        var (v1, v2) = (NewKeyText(), NewKeyText());
        vault.Put(Mount, SecretPath, new() { ["master_key"] = v1 });
        vault.Put(Mount, SecretPath, new() { ["master_key"] = v2, ["other"] = "x" });
        await using var services = Services(Options(vault, vault.IssueToken()));

        using var lease = await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();

        Assert.AreEqual(IdOf(v2), lease.Ring.Current.Id);
        Assert.IsNotNull(lease.Ring.Find(IdOf(v1)));
        Assert.AreEqual(1, lease.Ring.PreviousCount);
        Assert.IsTrue(vault.Requests.All(r => r.Token is not null));
    }

    [TestMethod]
    public async Task AcquireRing_HexKeyPinnedVersionAndNamespace_ReadsThatVersionWithTheNamespaceHeader()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        vault.RequiredNamespace = "team-a/keyinfra";
        var hex = Convert.ToHexString(Convert.FromBase64String(NewKeyText()));
        vault.Put(Mount, SecretPath, new() { ["k"] = hex });
        vault.Put(Mount, SecretPath, new() { ["k"] = NewKeyText() });
        await using var services = Services(Options(vault, vault.IssueToken(), o =>
        {
            o.Field = "k";
            o.Version = 1;
            o.PreviousVersions = 0;
            o.Namespace = "team-a/keyinfra";
        }));

        using var lease = await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();

        Assert.AreEqual(MasterKey.Fingerprint(Convert.FromHexString(hex)), lease.Ring.Current.Id);
        Assert.AreEqual(0, lease.Ring.PreviousCount);
        Assert.IsTrue(vault.Requests.All(r => r.Namespace == "team-a/keyinfra"));
    }

    [TestMethod]
    public async Task AcquireRing_DeletedOlderVersion_IsLeftOutAndTheRestLoads()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        vault.Put(Mount, SecretPath, new() { ["master_key"] = NewKeyText() });
        var current = NewKeyText();
        vault.Put(Mount, SecretPath, new() { ["master_key"] = current });
        vault.DeleteVersion(Mount, SecretPath, 1);
        var logs = new LogCapture();
        await using var services = Services(Options(vault, vault.IssueToken()), logs);

        using var lease = await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();

        Assert.AreEqual(IdOf(current), lease.Ring.Current.Id);
        Assert.AreEqual(0, lease.Ring.PreviousCount);
        Assert.IsTrue(logs.Entries.Any(e => e.EventId.Id == 5006));
    }

    [TestMethod]
    public async Task AcquireRing_InvalidToken_PermissionDeniedNamingThePathNotTheToken()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        vault.Put(Mount, SecretPath, new() { ["master_key"] = NewKeyText() });
        const string token = "hvs.not-a-token-vault-knows";
        await using var services = Services(Options(vault, token));

        var error = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync().AsTask());

        Assert.AreEqual(VaultErrorCodes.PermissionDenied, error.ErrorCode);
        Assert.Contains("secret/data/keyinfra/test", error.Message);
        Assert.Contains("permission denied", error.Message);
        Assert.DoesNotContain(token, error.ToString());
    }

    [TestMethod]
    public async Task AcquireRing_MissingSecret_SecretNotFound()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        await using var services = Services(Options(vault, vault.IssueToken()));

        var error = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync().AsTask());

        Assert.AreEqual(VaultErrorCodes.SecretNotFound, error.ErrorCode);
    }

    [TestMethod]
    public async Task AcquireRing_MissingField_SecretNotFoundNamingTheField()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        vault.Put(Mount, SecretPath, new() { ["masterkey"] = NewKeyText() });
        await using var services = Services(Options(vault, vault.IssueToken()));

        var error = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync().AsTask());

        Assert.AreEqual(VaultErrorCodes.SecretNotFound, error.ErrorCode);
        Assert.Contains("'master_key'", error.Message);
    }

    [TestMethod]
    [DataRow("c2hvcnQ=")]
    [DataRow("this is not a key at all, but it is long enough")]
    [DataRow("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g ")]
    public async Task AcquireRing_MalformedKey_MalformedWithoutTheValue(string value)
    {
        await using var vault = await FakeVaultServer.StartAsync();
        vault.Put(Mount, SecretPath, new() { ["master_key"] = value });
        await using var services = Services(Options(vault, vault.IssueToken()));

        var error = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync().AsTask());

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, error.ErrorCode);
        Assert.Contains("keyinfra/test", error.Message);
        Assert.DoesNotContain(value.Trim(), error.ToString());
    }

    [TestMethod]
    public async Task AcquireRing_Sealed_SealedError()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        vault.Put(Mount, SecretPath, new() { ["master_key"] = NewKeyText() });
        vault.Sealed = true;
        await using var services = Services(Options(vault, vault.IssueToken()));

        var error = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync().AsTask());

        Assert.AreEqual(VaultErrorCodes.Sealed, error.ErrorCode);
        Assert.Contains("Vault is sealed", error.Message);
    }

    [TestMethod]
    [DataRow("not json")]
    [DataRow("{\"data\":{\"data\":{\"master_key\":\"x\"}}}")]
    [DataRow("[1,2,3]")]
    public async Task AcquireRing_AnswerNotAKvV2Secret_BadResponse(string body)
    {
        await using var vault = await FakeVaultServer.StartAsync();
        vault.RawSecretAnswer = (System.Net.HttpStatusCode.OK, body);
        await using var services = Services(Options(vault, vault.IssueToken()));

        var error = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync().AsTask());

        Assert.AreEqual(VaultErrorCodes.BadResponse, error.ErrorCode);
    }

    [TestMethod]
    public async Task AcquireRing_OversizedAnswer_BadResponseWithoutReadingItAll()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        vault.RawSecretAnswer = (System.Net.HttpStatusCode.OK, "{\"pad\":\"" + new string('a', 2 * 1024 * 1024) + "\"}");
        await using var services = Services(Options(vault, vault.IssueToken()));

        var error = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync().AsTask());

        Assert.AreEqual(VaultErrorCodes.BadResponse, error.ErrorCode);
    }

    [TestMethod]
    public async Task AcquireRing_NothingListening_UnreachableAfterTheRetries()
    {
        Uri address;
        await using (var vault = await FakeVaultServer.StartAsync())
        {
            address = vault.Address;
        }

        await using var services = Services(o =>
        {
            o.Address = address;
            o.Path = SecretPath;
            o.Token = "hvs.x";
            o.MaxRetries = 2;
            o.RetryDelay = TimeSpan.FromMilliseconds(10);
            o.RefreshInterval = TimeSpan.Zero;
        });

        var error = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync().AsTask());

        Assert.AreEqual(VaultErrorCodes.Unreachable, error.ErrorCode);
        Assert.Contains(address.Authority, error.Message);
    }

    [TestMethod]
    public async Task AcquireRing_ServerCertificateFromAnotherCa_UnreachableAndNothingSent()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        await using var other = await FakeVaultServer.StartAsync();
        vault.Put(Mount, SecretPath, new() { ["master_key"] = NewKeyText() });
        await using var services = Services(Options(vault, vault.IssueToken(), o => o.CaCertificatePath = other.CaCertificatePath));

        var error = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync().AsTask());

        Assert.AreEqual(VaultErrorCodes.Unreachable, error.ErrorCode);
        Assert.IsEmpty(vault.Requests);
    }

    [TestMethod]
    public async Task Options_PlainHttpWithoutOptIn_RefusedNamingTheOption()
    {
        await using var services = Services(o =>
        {
            o.Address = new Uri("http://127.0.0.1:8200");
            o.Path = SecretPath;
            o.Token = "hvs.x";
        });

        var error = Assert.ThrowsExactly<OptionsValidationException>(() => services.GetRequiredService<IOptions<VaultMasterKeyOptions>>().Value);

        Assert.Contains("AllowInsecureHttp", error.Message);
    }

    [TestMethod]
    public async Task Options_TokenAndAppRoleBoth_Refused()
    {
        await using var services = Services(o =>
        {
            o.Address = new Uri("https://127.0.0.1:8200");
            o.Path = SecretPath;
            o.Token = "hvs.x";
            o.AppRoleRoleId = "role";
            o.AppRoleSecretId = "secret";
        });

        var error = Assert.ThrowsExactly<OptionsValidationException>(() => services.GetRequiredService<IOptions<VaultMasterKeyOptions>>().Value);

        Assert.Contains("not both", error.Message);
    }

    [TestMethod]
    public async Task Options_NoCredentials_RefusedSayingWhatToSet()
    {
        await using var services = Services(o =>
        {
            o.Address = new Uri("https://127.0.0.1:8200");
            o.Path = SecretPath;
        });

        var error = Assert.ThrowsExactly<OptionsValidationException>(() => services.GetRequiredService<IOptions<VaultMasterKeyOptions>>().Value);

        Assert.Contains("VAULT_TOKEN", error.Message);
    }

    [TestMethod]
    public async Task AppRole_LogsInReadsAndRenewsBeforeTheLeaseEnds()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        vault.AppRole = ("role-1", "secret-1");
        vault.AppRoleLease = TimeSpan.FromSeconds(2);
        var key = NewKeyText();
        vault.Put(Mount, SecretPath, new() { ["master_key"] = key });
        await using var services = Services(Options(vault, token: null, o =>
        {
            o.AppRoleRoleId = "role-1";
            o.AppRoleSecretId = "secret-1";
        }));
        var provider = services.GetRequiredService<IEncryptionKeyProvider>();

        using (var lease = await provider.AcquireRingAsync())
        {
            Assert.AreEqual(IdOf(key), lease.Ring.Current.Id);
        }

        await EventuallyAsync(() => Task.FromResult(vault.Count("/v1/auth/token/renew-self") >= 2), "the token was renewed twice");
        Assert.AreEqual(1, vault.Count("/v1/auth/approle/login"));
    }

    [TestMethod]
    public async Task AppRole_WrongSecretId_PermissionDeniedWithoutTheSecretId()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        vault.AppRole = ("role-1", "secret-1");
        vault.Put(Mount, SecretPath, new() { ["master_key"] = NewKeyText() });
        await using var services = Services(Options(vault, token: null, o =>
        {
            o.AppRoleRoleId = "role-1";
            o.AppRoleSecretId = "wrong-secret-id-value";
        }));

        var error = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync().AsTask());

        Assert.AreEqual(VaultErrorCodes.PermissionDenied, error.ErrorCode);
        Assert.Contains("AppRole", error.Message);
        Assert.DoesNotContain("wrong-secret-id-value", error.ToString());
    }

    [TestMethod]
    public async Task Refresh_AppRoleTokenRevoked_LogsInAgainAndReads()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        vault.AppRole = ("role-1", "secret-1");
        vault.Put(Mount, SecretPath, new() { ["master_key"] = NewKeyText() });
        await using var services = Services(Options(vault, token: null, o =>
        {
            o.AppRoleRoleId = "role-1";
            o.AppRoleSecretId = "secret-1";
            o.RefreshInterval = TimeSpan.FromMilliseconds(200);
        }));
        using (await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync())
        {
        }

        vault.RevokeAllTokens();
        var next = NewKeyText();
        vault.Put(Mount, SecretPath, new() { ["master_key"] = next });

        await EventuallyAsync(async () =>
        {
            using var lease = await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();
            return lease.Ring.Current.Id == IdOf(next);
        }, "the refresh logged in again and read the new version");
        Assert.IsGreaterThanOrEqualTo(2, vault.Count("/v1/auth/approle/login"));
    }

    [TestMethod]
    public async Task Refresh_NewVersion_BecomesCurrentAndTheOldOneStays()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        var (v1, v2, v3) = (NewKeyText(), NewKeyText(), NewKeyText());
        vault.Put(Mount, SecretPath, new() { ["master_key"] = v1 });
        vault.Put(Mount, SecretPath, new() { ["master_key"] = v2 });
        var logs = new LogCapture();
        await using var services = Services(Options(vault, vault.IssueToken(), o =>
        {
            o.PreviousVersions = 0;
            o.RefreshInterval = TimeSpan.FromMilliseconds(200);
        }), logs);
        var provider = services.GetRequiredService<IEncryptionKeyProvider>();
        using (var first = await provider.AcquireRingAsync())
        {
            Assert.AreEqual(IdOf(v2), first.Ring.Current.Id);
        }

        vault.Put(Mount, SecretPath, new() { ["master_key"] = v3 });

        await EventuallyAsync(async () =>
        {
            using var lease = await provider.AcquireRingAsync();
            return lease.Ring.Current.Id == IdOf(v3);
        }, "version 3 is current");
        using var ring = await provider.AcquireRingAsync();
        Assert.IsNotNull(ring.Ring.Find(IdOf(v2)), "the version the process used stays readable");
        Assert.IsNull(ring.Ring.Find(IdOf(v1)), "PreviousVersions = 0 loads no older version it did not use");
        Assert.IsTrue(logs.Entries.Any(e => e.EventId.Id == 5001));
    }

    [TestMethod]
    public async Task Refresh_VaultSealedThenUnsealed_KeepsTheKeyDegradedThenHealthy()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        var key = NewKeyText();
        vault.Put(Mount, SecretPath, new() { ["master_key"] = key });
        await using var services = Services(Options(vault, vault.IssueToken(), o => o.RefreshInterval = TimeSpan.FromMilliseconds(150)));
        var provider = services.GetRequiredService<IEncryptionKeyProvider>();
        var health = services.GetRequiredService<HealthCheckService>();
        using (await provider.AcquireRingAsync())
        {
        }

        vault.Sealed = true;
        await EventuallyAsync(async () => (await health.CheckHealthAsync()).Entries["keyinfra.vault"].Status == HealthStatus.Degraded, "the check is Degraded");
        var degraded = (await health.CheckHealthAsync()).Entries["keyinfra.vault"];
        Assert.Contains(VaultErrorCodes.Sealed, degraded.Description!);
        using (var lease = await provider.AcquireRingAsync())
        {
            Assert.AreEqual(IdOf(key), lease.Ring.Current.Id, "the last key read stays in use");
        }

        vault.Sealed = false;
        await EventuallyAsync(async () => (await health.CheckHealthAsync()).Entries["keyinfra.vault"].Status == HealthStatus.Healthy, "the check is Healthy again");
    }

    [TestMethod]
    public async Task HealthCheck_NoKeyReadable_Unhealthy()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        await using var services = Services(Options(vault, vault.IssueToken()));

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.AreEqual(HealthStatus.Unhealthy, report.Entries["keyinfra.vault"].Status);
        Assert.Contains(VaultErrorCodes.SecretNotFound, report.Entries["keyinfra.vault"].Description!);
    }

    [TestMethod]
    public async Task Logs_LoadAndRefresh_NeverHoldTheKeyOrTheToken()
    {
        await using var vault = await FakeVaultServer.StartAsync();
        var key = NewKeyText();
        vault.Put(Mount, SecretPath, new() { ["master_key"] = key });
        var token = vault.IssueToken();
        var logs = new LogCapture();
        await using var services = Services(Options(vault, token, o => o.RefreshInterval = TimeSpan.FromMilliseconds(100)), logs);
        using (await services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync())
        {
        }

        vault.Sealed = true;
        await EventuallyAsync(() => Task.FromResult(logs.Entries.Any(e => e.EventId.Id == 5002)), "a refresh failed");

        Assert.IsTrue(logs.Entries.Any(e => e.EventId.Id == 5000));
        Assert.IsFalse(logs.Entries.Any(e => e.Text.Contains(key, StringComparison.Ordinal) || e.Text.Contains(token, StringComparison.Ordinal)));
        Assert.IsFalse(services.GetRequiredService<IOptions<VaultMasterKeyOptions>>().Value.ToString().Contains(token, StringComparison.Ordinal));
    }
}
