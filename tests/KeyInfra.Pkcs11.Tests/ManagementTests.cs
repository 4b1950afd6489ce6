using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using KeyInfra.Authorization;
using KeyInfra.Diagnostics;
using KeyInfra.Identity;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Pkcs11.Diagnostics;
using KeyInfra.Pkcs11.HealthChecks;
using KeyInfra.Signing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>IHsmManager (what the CLI calls), the PIN at rest and its re-wrap, the health check and the pool's metrics, end to end on a SQLite file.</summary>
[TestClass]
public sealed class ManagementTests
{
    [TestMethod]
    public async Task HsmManager_RoleBasedAccessControl_NeedsManageHsm()
    {
        await using var host = await Pkcs11TestHost.StartAsync(services: s => s.AddKeyInfrastructure().UseRoleBasedAccessControl());
        var callers = host.Get<AsyncLocalCallerContext>();
        Caller plain, operatorUser;
        using (callers.Use(Caller.ForSystem("test")))
        {
            await host.AddSlotAsync("main", SoftHsm.Token, SoftHsm.Pin);
            await host.Get<IRoleStore>().CreateAsync("hsm-operator");
            await host.Get<IRoleStore>().GrantAsync("hsm-operator", KeyInfraPermissions.ManageHsm);
            plain = (await host.Get<IUserStore>().CreateAsync(new CreateUserRequest { Username = "plain" })).ToCaller();
            operatorUser = (await host.Get<IUserStore>().CreateAsync(new CreateUserRequest { Username = "operator", Roles = ["hsm-operator"] })).ToCaller();
        }

        using (callers.Use(plain))
        {
            var list = await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Hsm.ListSlotsAsync());
            var remove = await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Hsm.RemoveSlotAsync("main"));
            Assert.AreEqual(KeyInfraOperation.ManageHsm, list.Operation);
            Assert.AreEqual(ErrorCodes.AccessDenied, remove.ErrorCode);
        }

        await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Hsm.ListModulesAsync());
        using (callers.Use(operatorUser))
        {
            Assert.AreEqual("main", (await host.Hsm.ListSlotsAsync()).Single().Name);

            // Every tenant's PINs under the deployment's master key: the host's, not manage_hsm's.
            var rewrap = await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Hsm.RewrapPinsAsync());
            Assert.AreEqual(KeyInfraOperation.ManageMasterKeys, rewrap.Operation);
        }

        using (callers.Use(Caller.ForSystem("test")))
        {
            Assert.AreEqual(new Slots.HsmPinRewrapSummary(0, 1, 0), await host.Hsm.RewrapPinsAsync());
        }
    }

    [TestMethod]
    public async Task HsmManager_ChangesAndDenials_AreInTheAuditLogs_WithoutThePin()
    {
        await using var host = await Pkcs11TestHost.StartAsync(services: s => s.AddKeyInfrastructure().UseRoleBasedAccessControl());
        var callers = host.Get<AsyncLocalCallerContext>();
        using (callers.Use(Caller.ForSystem("hsm-admin")))
        {
            await host.AddSlotAsync("audited", SoftHsm.Token, SoftHsm.Pin);
            Assert.IsTrue(await host.Hsm.RemoveSlotAsync("audited"));
        }

        using (callers.Use(Caller.ForUser("nobody")))
        {
            await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Hsm.ListSlotsAsync());
        }

        var trail = host.Get<Audit.IAuditTrail>();
        await trail.FlushAsync();
        using (callers.Use(Caller.ForSystem("auditor")))
        {
            var changes = (await trail.QueryControlPlaneAsync(new Audit.AuditQuery { ActorId = "system:hsm-admin" })).Records;
            var denials = (await trail.QueryDataPlaneAsync(new Audit.AuditQuery { ActorId = "user:nobody", Decision = Audit.AuditDecision.Deny })).Records;
            using var export = new MemoryStream();
            await trail.ExportControlPlaneAsync(new Audit.AuditQuery(), export);

            CollectionAssert.IsSubsetOf(new[] { Audit.AuditActions.HsmSlotAdd, Audit.AuditActions.HsmSlotRemove }, changes.Select(c => c.Action).ToArray());
            var added = changes.Single(c => c.Action == Audit.AuditActions.HsmSlotAdd);
            Assert.AreEqual("hsm_slot", added.TargetType);
            StringAssert.Contains(added.After, SoftHsm.Token);
            Assert.AreEqual("manage_hsm", denials.Single().Action);
            Assert.DoesNotContain(SoftHsm.Pin, Encoding.UTF8.GetString(export.ToArray()));
        }
    }

    [TestMethod]
    public async Task CreateAsync_TheKeyRowCannotBeStored_DestroysTheTokenObjectsItGenerated()
    {
        await using var host = await Pkcs11TestHost.StartAsync();
        await host.AddSlotAsync("main", SoftHsm.Token, SoftHsm.Pin);

        // The database refuses every new key row, as a full disk or a lost connection would.
        await using (var connection = new SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER refuse_keys BEFORE INSERT ON public_keys BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;";
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        await Assert.ThrowsAsync<Exception>(() => host.CreateHsmKeyAsync(KeySpec.EcdsaP256, "main"));

        // The key pair was made in the token (event 4004), then destroyed (event 4016): no object with its label is left.
        var generated = host.Logs.Entries.Single(e => e.EventId.Id == 4004);
        var keyId = System.Text.RegularExpressions.Regex.Match(generated.Text, "for key ([0-9a-f-]{36})").Groups[1].Value;
        Assert.IsTrue(host.Logs.Entries.Any(e => e.EventId.Id == 4016 && e.Text.Contains(keyId, StringComparison.Ordinal)));
        var listing = SoftHsm.Run(SoftHsm.Pkcs11Tool, "--module", SoftHsm.ModulePath, "--token-label", SoftHsm.Token, "--login", "--pin", SoftHsm.Pin, "--list-objects");
        Assert.DoesNotContain($"keyinfra-{keyId}", listing);
        Assert.IsTrue(host.Logs.Entries.Any(e => e.EventId.Id == 1009), "the key store says what it discarded");
    }

    [TestMethod]
    public async Task AddSlotAsync_ValidPin_StoredEncryptedListedWithoutPinAndTestLogsIn()
    {
        await using var host = await Pkcs11TestHost.StartAsync();
        var slot = await host.AddSlotAsync("main", SoftHsm.Token, SoftHsm.Pin);

        var modules = await host.Hsm.ListModulesAsync();
        Assert.AreEqual(Pkcs11TestHost.ModuleName, modules.Single().Name);
        Assert.IsTrue(modules.Single().IsAllowed);
        var listed = (await host.Hsm.ListSlotsAsync()).Single();
        Assert.AreEqual(slot, listed);
        Assert.AreEqual(SoftHsm.Token, listed.TokenLabel);
        Assert.IsFalse(listed.ToString().Contains(SoftHsm.Pin, StringComparison.Ordinal));

        var tested = await host.Hsm.TestSlotAsync("main");
        Assert.AreEqual(SoftHsm.Token, tested.Label);
        Assert.IsTrue(tested.LoggedIn);
        Assert.AreEqual("SoftHSM project", tested.Manufacturer);

        // At rest: an envelope ciphertext, never the PIN, and nothing of it in the logs.
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT encrypted_pin FROM hsm_slots";
        var stored = (byte[])(await command.ExecuteScalarAsync())!;
        Assert.IsLessThan(0, stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(SoftHsm.Pin)), "The PIN is stored in plain text.");
        ErrorTests.AssertNoPin(host, new InvalidOperationException(), SoftHsm.Pin);
    }

    [TestMethod]
    public async Task RemoveAsync_SlotAndModuleInUse_RefusedUntilTheirUsersAreGone()
    {
        await using var host = await Pkcs11TestHost.StartAsync();
        await host.AddSlotAsync("in-use", SoftHsm.Token, SoftHsm.Pin);
        var key = await host.CreateHsmKeyAsync(KeySpec.EcdsaP256, "in-use");

        var slotInUse = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => host.Hsm.RemoveSlotAsync("in-use"));
        Assert.AreEqual(ErrorCodes.HsmSlotInUse, slotInUse.ErrorCode);
        var moduleInUse = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => host.Hsm.RemoveModuleAsync(Pkcs11TestHost.ModuleName));
        Assert.AreEqual(ErrorCodes.HsmModuleInUse, moduleInUse.ErrorCode);

        Assert.IsTrue(await host.KeyStore.DeleteAsync(key.Id));
        Assert.IsTrue(await host.Hsm.RemoveSlotAsync("in-use"));
        Assert.IsTrue(await host.Hsm.RemoveModuleAsync(Pkcs11TestHost.ModuleName));
        Assert.IsFalse(await host.Hsm.RemoveSlotAsync("in-use"));
        Assert.IsEmpty(await host.Hsm.ListModulesAsync());
    }

    [TestMethod]
    public async Task RewrapPinsAsync_AfterMasterKeyRotation_PinUnderTheNewKeyStillLogsIn()
    {
        var folder = Pkcs11TestHost.NewFolder();
        string oldKey;
        KeyId keyId;
        await using (var host = await Pkcs11TestHost.StartAsync(folder))
        {
            await host.AddSlotAsync("rewrap", SoftHsm.Token, SoftHsm.Pin);
            keyId = (await host.CreateHsmKeyAsync(KeySpec.Ed25519, "rewrap")).Id;
            oldKey = host.MasterKey;
        }

        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using (var rotated = await Pkcs11TestHost.StartAsync(folder, masterKey: newKey, previousMasterKeys: oldKey))
        {
            var before = (await rotated.Hsm.ListSlotsAsync()).Single().MasterKeyId;
            var first = await rotated.Hsm.RewrapPinsAsync();
            Assert.AreEqual(new Slots.HsmPinRewrapSummary(1, 0, 0), first);
            Assert.AreNotEqual(before, (await rotated.Hsm.ListSlotsAsync()).Single().MasterKeyId);
            Assert.AreEqual(new Slots.HsmPinRewrapSummary(0, 1, 0), await rotated.Hsm.RewrapPinsAsync());

            // The rest of the rotation, what 'reencrypt' runs beside the PIN re-wrap: the key rows' MACs under the new key.
            await rotated.Get<KeyInfra.RowAuthentication.IKeyRowAuthenticator>().AuthenticateAllAsync();
        }

        // The old master key is gone: the PIN still opens, so the key still signs.
        await using var current = await Pkcs11TestHost.StartAsync(folder, masterKey: newKey, ownsFolder: true);
        Assert.IsTrue((await current.Hsm.TestSlotAsync("rewrap")).LoggedIn);
        await current.Signer.SignAsync(new SignRequest(keyId, "after the rotation"u8.ToArray()));
    }

    [TestMethod]
    public async Task HealthCheck_SlotsAndProbeKey_HealthyThenUnhealthyWithTheCode()
    {
        KeyId? probe = null;
        await using var host = await Pkcs11TestHost.StartAsync(services: s => s.AddHealthChecks().AddKeyInfrastructurePkcs11(o => o.ProbeKeyId = probe));
        await host.AddSlotAsync("health", SoftHsm.Token, SoftHsm.Pin);
        probe = (await host.CreateHsmKeyAsync(KeySpec.EcdsaP256, "health", name: "probe")).Id;
        var checks = host.Get<HealthCheckService>();

        var healthy = (await checks.CheckHealthAsync()).Entries[KeyInfraPkcs11HealthChecksBuilderExtensions.Pkcs11Name];
        Assert.AreEqual(HealthStatus.Healthy, healthy.Status, healthy.Description);
        Assert.AreEqual("logged in", healthy.Data["slot:health"]);
        Assert.AreEqual("signed", healthy.Data["probe"]);

        // A slot whose PIN no longer opens (copied from the first) makes the check unhealthy, naming it and the code.
        await host.AddSlotAsync("broken", SoftHsm.Token, SoftHsm.Pin);
        await ErrorTests.ExecuteAsync(host, "UPDATE hsm_slots SET encrypted_pin = (SELECT encrypted_pin FROM hsm_slots WHERE name = 'health') WHERE name = 'broken'");
        var unhealthy = (await checks.CheckHealthAsync()).Entries[KeyInfraPkcs11HealthChecksBuilderExtensions.Pkcs11Name];
        Assert.AreEqual(HealthStatus.Unhealthy, unhealthy.Status);
        StringAssert.Contains(unhealthy.Description, "slot 'broken': KI6017");
        Assert.IsFalse(unhealthy.Description!.Contains(SoftHsm.Pin, StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task SignAsync_ThroughThePool_SessionsAndSignDurationObserved()
    {
        await using var host = await Pkcs11TestHost.StartAsync();
        await host.AddSlotAsync("metrics", SoftHsm.Token, SoftHsm.Pin);
        var key = await host.CreateHsmKeyAsync(KeySpec.EcdsaP256, "metrics");
        var meters = host.Get<IMeterFactory>();
        using var durations = new MetricCollector<double>(meters, KeyInfraInstruments.MeterName, Pkcs11Instruments.SignDuration);
        using var sessions = new MetricCollector<int>(meters, KeyInfraInstruments.MeterName, Pkcs11Instruments.Sessions);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => host.Signer.SignAsync(new SignRequest(key.Id, "measured"u8.ToArray()))));
        sessions.RecordObservableInstruments();

        Assert.HasCount(4, durations.GetMeasurementSnapshot());
        Assert.IsTrue(durations.GetMeasurementSnapshot().All(m => (string?)m.Tags[KeyInfraInstruments.KeyAlgorithmTag] == "ecdsa-p256"));
        var idle = sessions.GetMeasurementSnapshot().Where(m => (string?)m.Tags[Pkcs11Instruments.SessionStateTag] == "idle").Sum(m => m.Value);
        var inUse = sessions.GetMeasurementSnapshot().Where(m => (string?)m.Tags[Pkcs11Instruments.SessionStateTag] == "in_use").Sum(m => m.Value);
        Assert.IsGreaterThanOrEqualTo(2, idle, "The logged-in session and at least one operation session are open.");
        Assert.AreEqual(0, inUse);
    }
}
