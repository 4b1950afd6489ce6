using System.Data.Common;
using System.Text.Json;
using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Errors;
using KeyInfra.Identity;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// The control-plane and data-plane audit logs on every provider: every change recorded with who made it and the
/// target's state before and after (never a secret), every decision recorded, both readable only with
/// <c>read_audit</c>, append-only for the application, and chained with the verification log so that a database writer
/// who changes, removes or adds an audit row is reported by <c>log verify</c>.
/// </summary>
/// <remarks>Tests of a class share one database; each reads only what it wrote (its own time range and targets).</remarks>
public abstract class AuditConformanceTests
{
    private static readonly byte[] Document = "who did what"u8.ToArray();
    private static readonly string s_masterKey = TestHost.NewMasterKey();

    /// <summary>The provider's database, shared by the tests of the class.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task KeyChanges_AreRecordedWithActorAndStatesBeforeAndAfter()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var host = await StartAsync();
        var admin = await NewUserAsync(host, "key-admin", KeyInfraRoles.Admin);
        KeyInfo key;
        using (Callers(host).Use(new Caller(CallerKind.User, admin.Id, admin.DisplayName, System.Net.IPAddress.Parse("192.0.2.7"), "req-42")))
        {
            key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "audited"));
            await host.Get<IKeyStore>().RevokeAsync(key.Id, RevocationReason.KeyCompromise);
        }

        var records = await ControlPlaneAsync(host, new AuditQuery { From = from, TargetType = "key", TargetId = key.Id.ToString() });

        CollectionAssert.AreEqual(new[] { AuditActions.KeyRevoke, AuditActions.KeyCreate }, records.Select(r => r.Action).ToArray());
        var revoke = records[0];
        Assert.AreEqual(AuditActorKind.User, revoke.ActorKind);
        Assert.AreEqual(admin.StableId, revoke.ActorId);
        Assert.AreEqual("192.0.2.7", revoke.ActorAddress);
        Assert.AreEqual("req-42", revoke.RequestId);
        Assert.AreEqual("active", State(revoke.Before)["status"]);
        Assert.AreEqual("revoked", State(revoke.After)["status"]);
        Assert.AreEqual("keycompromise", State(revoke.After)["revocation_reason"]);
        Assert.IsNull(records[1].Before);
        Assert.AreEqual(admin.StableId, State(records[1].After)["owner"]);
    }

    [TestMethod]
    public async Task MasterKeyOperations_EachPassAndTheRewrapAndRetirement_AreRecorded()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var oldKey = TestHost.NewMasterKey();
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        string oldKeyId;
        await using (var host = await AccessControlHosts.StartAsync(database, oldKey))
        {
            await AsSystem(host, () => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "under the old key")));
            oldKeyId = (await AsSystem(host, () => host.Get<KeyInfra.Encryption.Rotation.IMasterKeyRotation>().GetStatusAsync())).CurrentKeyId;
        }

        await using var rotated = await AccessControlHosts.StartAsync(database, TestHost.NewMasterKey(), masterKeyOptions: o => o.PreviousMasterKeys = oldKey);
        var reencrypted = await AsSystem(rotated, () => rotated.Get<KeyInfra.Encryption.IPrivateKeyReencryptor>().ReencryptAllAsync(new KeyInfra.Encryption.ReencryptionOptions()));
        var authenticated = await AsSystem(rotated, () => rotated.Get<KeyInfra.RowAuthentication.IKeyRowAuthenticator>().AuthenticateAllAsync());
        await AsSystem(rotated, () => rotated.Get<KeyInfra.Encryption.Rotation.IMasterKeyRotation>().RewrapAsync());
        await AsSystem(rotated, async () =>
        {
            await rotated.Get<KeyInfra.Encryption.Rotation.IMasterKeyRotation>().RetireAsync(oldKeyId);
            return true;
        });

        var records = await ControlPlaneAsync(rotated, new AuditQuery { From = from, TargetType = "master_key" });

        CollectionAssert.AreEqual(
            new[] { AuditActions.MasterKeyRetire, AuditActions.MasterKeyRewrap, AuditActions.KeyRowsAuthenticate, AuditActions.PrivateKeysReencrypt },
            records.Select(r => r.Action).ToArray(),
            "the passes called directly are recorded once each; the re-wrap, which runs them again, once for all");
        Assert.AreEqual(1, reencrypted.Rewrapped);
        Assert.AreEqual("1", State(records[3].After)["rewrapped"]);
        Assert.AreEqual(authenticated.Reauthenticated.ToString(System.Globalization.CultureInfo.InvariantCulture), State(records[2].After)["reauthenticated"]);
        Assert.AreEqual(oldKeyId, records[0].TargetId);
        Assert.IsTrue(records.All(r => r.ActorKind == AuditActorKind.System));
    }

    [TestMethod]
    public async Task IdentityChanges_AreRecorded_AndNoSecretReachesTheLog()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var host = await StartAsync();
        var name = Unique("audited-user");
        NewApplicationCredential credential;
        Guid userId;
        using (Callers(host).Use(Caller.ForSystem("audit-conformance")))
        {
            var user = await host.Get<IUserStore>().CreateAsync(new CreateUserRequest { Username = name, Password = "hunter2 is not secret enough" });
            userId = user.Id;
            await host.Get<IUserStore>().SetStatusAsync(user.Id, UserStatus.Suspended);
            await host.Get<IUserStore>().SetPasswordAsync(user.Id, "another password entirely");
            var app = await host.Get<IApplicationStore>().CreateAsync(new CreateApplicationRequest { Name = Unique("audited-app") });
            credential = await host.Get<IApplicationStore>().AddCredentialAsync(app.Id);
            await host.Get<IApplicationStore>().RevokeCredentialAsync(app.Id, credential.Credential.Id);
            var role = Unique("auditor");
            await host.Get<IRoleStore>().CreateAsync(role);
            await host.Get<IRoleStore>().GrantAsync(role, KeyInfraPermissions.ReadAudit);
        }

        var records = await ControlPlaneAsync(host, new AuditQuery { From = from, ActorId = "system:audit-conformance" });
        var actions = records.Select(r => r.Action).ToHashSet();
        foreach (var action in new[] { AuditActions.UserCreate, AuditActions.UserStatus, AuditActions.UserPassword, AuditActions.ApplicationCreate,
            AuditActions.CredentialCreate, AuditActions.CredentialRevoke, AuditActions.RoleCreate, AuditActions.RoleGrant })
        {
            Assert.Contains(action, actions);
        }

        var status = records.Single(r => r.Action == AuditActions.UserStatus && r.TargetId == userId.ToString());
        Assert.AreEqual(AuditActorKind.System, status.ActorKind);
        Assert.AreEqual("active", State(status.Before)["status"]);
        Assert.AreEqual("suspended", State(status.After)["status"]);

        using var export = new MemoryStream();
        using (Callers(host).Use(Caller.ForSystem("audit-conformance")))
        {
            await host.Get<IAuditTrail>().ExportControlPlaneAsync(new AuditQuery { From = from }, export);
        }

        var text = System.Text.Encoding.UTF8.GetString(export.ToArray());
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("another password", text);
        Assert.DoesNotContain(credential.Secret, text);
        Assert.DoesNotContain("pbkdf2", text);
    }

    [TestMethod]
    public async Task Decisions_AllowedAndDenied_AreRecordedInTheDataPlane()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var host = await StartAsync();
        var alice = await NewUserAsync(host, "data-plane");
        var theirs = await AsSystem(host, () => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "not alice's")));
        KeyInfo mine;
        using (Callers(host).Use(alice))
        {
            mine = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "alice's") { Owner = alice.StableId });
            await host.Get<ISigner>().SignAsync(new SignRequest(mine.Id, Document));
            await Assert.ThrowsAsync<AccessDeniedException>(() => host.Get<ISigner>().SignAsync(new SignRequest(theirs.Id, Document)));
            var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => host.Get<IUserStore>().ListAsync());
            Assert.AreEqual(ErrorCodes.AccessDenied, denied.ErrorCode);
        }

        var records = await DataPlaneAsync(host, new AuditQuery { From = from, ActorId = alice.StableId });

        Assert.IsTrue(records.Any(r => r.Action == "sign" && r.Decision == AuditDecision.Allow && r.KeyId == mine.Id.Value));
        var deniedSign = records.Single(r => r.Action == "sign" && r.Decision == AuditDecision.Deny);
        Assert.AreEqual(theirs.Id.Value, deniedSign.KeyId);
        Assert.IsFalse(string.IsNullOrEmpty(deniedSign.Reason));
        var deniedManagement = records.Single(r => r.Action == "manage_users");
        Assert.AreEqual(AuditDecision.Deny, deniedManagement.Decision);
        StringAssert.Contains(deniedManagement.Reason, KeyInfraPermissions.ManageUsers);

        var denials = await DataPlaneAsync(host, new AuditQuery { From = from, ActorId = alice.StableId, Decision = AuditDecision.Deny });
        Assert.HasCount(2, denials);
    }

    [TestMethod]
    public async Task CredentialAndPasswordChecks_AreRecorded_RightAndWrong()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var host = await StartAsync();
        var name = Unique("checked");
        var app = await AsSystem(host, () => host.Get<IApplicationStore>().CreateAsync(new CreateApplicationRequest { Name = name }));
        var credential = await AsSystem(host, () => host.Get<IApplicationStore>().AddCredentialAsync(app.Id));
        await AsSystem(host, () => host.Get<IUserStore>().CreateAsync(new CreateUserRequest { Username = name, Password = "the right one" }));

        Assert.IsTrue((await host.Get<IApplicationStore>().VerifyCredentialAsync(credential.Credential.ClientId, credential.Secret)).Succeeded);
        Assert.IsFalse((await host.Get<IApplicationStore>().VerifyCredentialAsync(credential.Credential.ClientId, "wrong")).Succeeded);
        Assert.IsFalse((await host.Get<IUserStore>().VerifyPasswordAsync(name, "the wrong one")).Succeeded);
        var pasted = "a password typed in the user name field " + Guid.NewGuid().ToString("N");
        Assert.IsFalse((await host.Get<IUserStore>().VerifyPasswordAsync(pasted, "anything")).Succeeded);
        Assert.IsFalse((await host.Get<IApplicationStore>().VerifyCredentialAsync(pasted, "anything")).Succeeded);
        Assert.IsFalse((await host.Get<IApplicationStore>().VerifyCredentialAsync(new string('x', 1000), "anything")).Succeeded);

        var checks = await DataPlaneAsync(host, new AuditQuery { From = from, Action = AuditActions.CredentialCheck });
        var passwords = await DataPlaneAsync(host, new AuditQuery { From = from, Action = AuditActions.PasswordCheck });

        var allowed = checks.Single(r => r.Decision == AuditDecision.Allow && r.ActorId == app.ToCaller().StableId);
        Assert.AreEqual(AuditActorKind.Application, allowed.ActorKind);
        Assert.IsTrue(checks.Any(r => r.Decision == AuditDecision.Deny && r.Reason!.Contains(credential.Credential.ClientId, StringComparison.Ordinal)));
        Assert.IsTrue(passwords.Any(r => r.Decision == AuditDecision.Deny && r.Reason!.Contains(name, StringComparison.Ordinal)));
        Assert.IsFalse(checks.Concat(passwords).Any(r => r.Reason!.Contains("the wrong one", StringComparison.Ordinal)), "a password is never recorded");
        Assert.IsFalse(checks.Concat(passwords).Any(r => r.Reason!.Contains(pasted, StringComparison.Ordinal)), "a name that names nobody is not kept");
        Assert.IsTrue(checks.Any(r => r.Reason!.StartsWith("malformed client id", StringComparison.Ordinal)), "a malformed client id is recorded too");
    }

    [TestMethod]
    public async Task Verifications_AreNotRepeatedInTheDataPlane_UnlessAskedFor()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using (var host = await StartAsync())
        {
            await VerifyOnceAsync(host);
            Assert.IsEmpty(await DataPlaneAsync(host, new AuditQuery { From = from, Action = "verify" }));
        }

        await using (var host = await StartAsync(o => o.Audit.RecordVerifications = true))
        {
            await VerifyOnceAsync(host);
            Assert.HasCount(1, await DataPlaneAsync(host, new AuditQuery { From = from, Action = "verify" }));
        }

        static async Task VerifyOnceAsync(TestHost host)
        {
            using var scope = Callers(host).Use(Caller.ForSystem("verifier"));
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "verified"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            Assert.AreEqual(VerificationStatus.Valid, (await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature))).Status);
        }
    }

    [TestMethod]
    public async Task Reading_WithoutReadAudit_IsDenied_AndRecorded()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var host = await StartAsync();
        var user = await NewUserAsync(host, "no-audit");

        using (Callers(host).Use(user))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => host.Get<IAuditTrail>().QueryControlPlaneAsync(new AuditQuery()));
            await Assert.ThrowsAsync<AccessDeniedException>(() => host.Get<IAuditTrail>().ExportDataPlaneAsync(new AuditQuery(), new MemoryStream()));
        }

        await Assert.ThrowsAsync<AccessDeniedException>(() => host.Get<IAuditTrail>().QueryDataPlaneAsync(new AuditQuery()));
        var records = await DataPlaneAsync(host, new AuditQuery { From = from, Action = "read_audit", Decision = AuditDecision.Deny });
        Assert.HasCount(2, records.Where(r => r.ActorId == user.StableId).ToList());
        Assert.HasCount(1, records.Where(r => r.ActorKind == AuditActorKind.Anonymous).ToList());
    }

    [TestMethod]
    public async Task Query_PagesNewestFirst_WithoutRepeats_AndRefusesBadQueries()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var host = await StartAsync();
        var trail = host.Get<IAuditTrail>();
        var target = Unique("paged");
        using var scope = Callers(host).Use(Caller.ForSystem("pager"));
        for (var i = 0; i < 5; i++)
        {
            await trail.RecordChangeAsync(new AuditChange { Action = "host.step", TargetType = "job", TargetId = target, After = new Dictionary<string, string?> { ["step"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        }

        var seen = new List<ControlPlaneAuditRecord>();
        var query = new AuditQuery { From = from, TargetType = "job", TargetId = target, PageSize = 2 };
        while (true)
        {
            var page = await trail.QueryControlPlaneAsync(query);
            seen.AddRange(page.Records);
            if (page.NextBefore is not { } next)
            {
                break;
            }

            query = query with { Before = next };
        }

        CollectionAssert.AreEqual(new[] { "4", "3", "2", "1", "0" }, seen.Select(r => State(r.After)["step"]).ToArray());
        await Assert.ThrowsAsync<ArgumentException>(() => trail.QueryControlPlaneAsync(new AuditQuery { KeyId = Guid.NewGuid() }));
        await Assert.ThrowsAsync<ArgumentException>(() => trail.QueryDataPlaneAsync(new AuditQuery { TargetType = "key" }));
        await Assert.ThrowsAsync<ArgumentException>(() => trail.QueryControlPlaneAsync(new AuditQuery { Before = Guid.NewGuid() }));
        await Assert.ThrowsAsync<ArgumentException>(() => trail.QueryControlPlaneAsync(new AuditQuery { PageSize = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await trail.RecordChangeAsync(new AuditChange { Action = "Not An Action", TargetType = "job" }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await trail.RecordChangeAsync(new AuditChange { Action = "job.run", TargetType = "job", TargetId = "line\nbreak" }));
    }

    [TestMethod]
    public async Task Export_WritesOneJsonObjectPerLine_ForEveryMatchingRecord()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var host = await StartAsync();
        var trail = host.Get<IAuditTrail>();
        var target = Unique("exported");
        using var scope = Callers(host).Use(Caller.ForSystem("exporter"));
        for (var i = 0; i < 3; i++)
        {
            await trail.RecordChangeAsync(new AuditChange { Action = "host.export", TargetType = "job", TargetId = target, Before = null, After = new Dictionary<string, string?> { ["quote"] = "\"<tag>\"" } });
        }

        using var output = new MemoryStream();
        var written = await trail.ExportControlPlaneAsync(new AuditQuery { From = from, TargetId = target, PageSize = 2 }, output);

        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(3L, written);
        Assert.HasCount(3, lines);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.AreEqual("host.export", json.RootElement.GetProperty("action").GetString());
            Assert.AreEqual(target, json.RootElement.GetProperty("target").GetProperty("id").GetString());
            Assert.AreEqual("\"<tag>\"", json.RootElement.GetProperty("after").GetProperty("quote").GetString());
            Assert.AreEqual(JsonValueKind.Null, json.RootElement.GetProperty("before").ValueKind);
            Assert.AreEqual("system", json.RootElement.GetProperty("actor_type").GetString());
        }
    }

    [TestMethod]
    [DataRow("UPDATE control_plane_audit SET action = 'key.create' WHERE id = $1", "control")]
    [DataRow("DELETE FROM control_plane_audit WHERE id = $1", "control")]
    [DataRow("UPDATE data_plane_audit SET decision = 'allow' WHERE id = $1", "data")]
    [DataRow("DELETE FROM data_plane_audit WHERE id = $1", "data")]
    public async Task ApplicationRole_UpdateOrDeleteOfAudit_IsRefused(string sql, string plane)
    {
        await using var host = await StartAsync();
        var (control, data) = await WriteBothAsync(host);

        await Assert.ThrowsAsync<DbException>(() => Storage.ExecuteAsApplicationAsync(sql, plane == "control" ? control : data));
    }

    [TestMethod]
    public async Task LogVerify_AuditRowsChangedRemovedOrAdded_AreReported()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var host = await StartAsync();
        var (control, data) = await WriteBothAsync(host);
        var (untouched, _) = await WriteBothAsync(host);
        await host.Get<IAuditTrail>().FlushAsync();
        Assert.IsTrue((await VerifyAsync(host, from)).IsClean, "nothing was changed yet");

        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE control_plane_audit SET target_id = 'someone else' WHERE id = $1", control));
        Assert.AreEqual(1, await Storage.TamperAsync("DELETE FROM data_plane_audit WHERE id = $1", data));
        var forged = Guid.CreateVersion7();
        Assert.AreEqual(1, await Storage.TamperAsync(
            "INSERT INTO control_plane_audit (id, tenant_id, occurred_at, actor_type, actor_id, action, target_type, target_id) " +
            "SELECT $1, tenant_id, occurred_at, 'system', 'system:nobody', 'user.create', 'user', 'forged' FROM control_plane_audit WHERE id = $2",
            forged, untouched));

        var report = await VerifyAsync(host, from);

        Assert.IsTrue(report.Modified.Any(f => f.Kind == LogEntryKind.ControlPlaneAudit && f.Id == control));
        Assert.IsTrue(report.Deleted.Any(f => f.Kind == LogEntryKind.DataPlaneAudit && f.Id == data));
        Assert.IsTrue(report.Inserted.Any(f => f.Kind == LogEntryKind.ControlPlaneAudit && f.Id == forged));
        Assert.IsFalse(report.Modified.Concat(report.Deleted).Concat(report.Inserted).Any(f => f.Id == untouched));
    }

    [TestMethod]
    public async Task DurableControlPlane_ChangeReturnsOnlyOnceItsRecordIsCommitted()
    {
        await using var host = await StartAsync(o => o.VerificationLog.MaxBatchDelay = TimeSpan.FromMilliseconds(200));
        var target = Unique("durable");
        using (Callers(host).Use(Caller.ForSystem("durable")))
        {
            await host.Get<IAuditTrail>().RecordChangeAsync(new AuditChange { Action = "host.durable", TargetType = "job", TargetId = target });

            // Read straight after, with no flush: the record is there.
            var page = await host.Get<IAuditTrail>().QueryControlPlaneAsync(new AuditQuery { TargetId = target });
            Assert.HasCount(1, page.Records);
        }
    }

    // One control-plane and one data-plane record of this test's own, committed; their ids.
    private static async Task<(Guid Control, Guid Data)> WriteBothAsync(TestHost host)
    {
        var from = DateTimeOffset.UtcNow.AddMilliseconds(-1);
        var target = Unique("written");
        using var scope = Callers(host).Use(Caller.ForSystem(target));
        await host.Get<IAuditTrail>().RecordChangeAsync(new AuditChange { Action = "host.write", TargetType = "job", TargetId = target });
        await host.Get<IKeyStore>().ListAsync(new KeyQuery());
        await host.Get<IAuditTrail>().FlushAsync();
        var control = (await host.Get<IAuditTrail>().QueryControlPlaneAsync(new AuditQuery { TargetId = target })).Records.Single();
        var data = (await host.Get<IAuditTrail>().QueryDataPlaneAsync(new AuditQuery { From = from, ActorId = "system:" + target, Action = "list_keys" })).Records.Single();
        return (control.Id, data.Id);
    }

    private static async Task<LogAuditReport> VerifyAsync(TestHost host, DateTimeOffset from)
    {
        using var scope = Callers(host).Use(Caller.ForSystem("auditor"));
        return await host.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest { From = from });
    }

    private static async Task<IReadOnlyList<ControlPlaneAuditRecord>> ControlPlaneAsync(TestHost host, AuditQuery query)
    {
        await host.Get<IAuditTrail>().FlushAsync();
        using var scope = Callers(host).Use(Caller.ForSystem("auditor"));
        return (await host.Get<IAuditTrail>().QueryControlPlaneAsync(query with { PageSize = AuditQuery.MaxPageSize })).Records;
    }

    private static async Task<IReadOnlyList<DataPlaneAuditRecord>> DataPlaneAsync(TestHost host, AuditQuery query)
    {
        await host.Get<IAuditTrail>().FlushAsync();
        using var scope = Callers(host).Use(Caller.ForSystem("auditor"));
        return (await host.Get<IAuditTrail>().QueryDataPlaneAsync(query with { PageSize = AuditQuery.MaxPageSize })).Records;
    }

    private static Dictionary<string, string?> State(string? json)
        => JsonSerializer.Deserialize<Dictionary<string, string?>>(json ?? throw new AssertFailedException("The state is missing."))!;

    private Task<TestHost> StartAsync(Action<KeyInfraOptions>? options = null) => AccessControlHosts.StartAsync(Storage, s_masterKey, options);

    private static Task<Caller> NewUserAsync(TestHost host, string name, string role = KeyInfraRoles.User) => AccessControlHosts.NewUserAsync(host, name, role);

    private static AsyncLocalCallerContext Callers(TestHost host) => AccessControlHosts.Callers(host);

    private static Task<T> AsSystem<T>(TestHost host, Func<Task<T>> call) => AccessControlHosts.AsSystem(host, call);

    private static string Unique(string name) => AccessControlHosts.Unique(name);
}
