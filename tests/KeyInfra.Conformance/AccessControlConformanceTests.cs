using KeyInfra.Authorization;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Identity;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Tenancy;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// Users, roles, applications and credentials on every provider, with the built-in role-based authorizer on: every
/// permission enforced inside the engine, keys scoped to their owners, credentials checked without telling whether a
/// client id exists, and every row that decides access authenticated, so a database writer cannot grant, un-suspend
/// or un-revoke anything.
/// </summary>
public abstract class AccessControlConformanceTests
{
    private static readonly byte[] Document = "who may do what"u8.ToArray();
    private static readonly string s_masterKey = TestHost.NewMasterKey();
    private static readonly string[] UserRolePermissions = [KeyInfraPermissions.ManagePublicKeys, KeyInfraPermissions.Sign, KeyInfraPermissions.VerifySignatures, KeyInfraPermissions.ReadLog];

    /// <summary>The provider's database, shared by the tests of the class.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task Users_CreatedWithPasswordAndRoles_ReadBackAndPasswordChecks()
    {
        await using var host = await StartAsync();
        var users = host.Get<IUserStore>();
        var name = Unique("alice");

        var created = await AsSystem(host, () => users.CreateAsync(new CreateUserRequest { Username = name, Email = name + "@example.test", Password = "correct horse" }));
        var found = await AsSystem(host, () => users.FindAsync(name));
        var listed = await AsSystem(host, () => users.ListAsync(pageSize: 1000));
        var good = await users.VerifyPasswordAsync(name, "correct horse");
        var bad = await users.VerifyPasswordAsync(name, "Correct horse");
        var unknown = await users.VerifyPasswordAsync(Unique("nobody"), "correct horse");

        Assert.AreEqual(created.Id, found!.Id);
        Assert.AreEqual(UserStatus.Active, found.Status);
        Assert.IsTrue(found.HasPassword);
        CollectionAssert.AreEqual(new[] { KeyInfraRoles.User }, found.Roles.ToArray());
        Assert.IsTrue(listed.Any(u => u.Id == created.Id));
        Assert.IsTrue(good.Succeeded);
        Assert.AreEqual("user:" + created.Id, good.Caller!.StableId);
        Assert.IsFalse(bad.Succeeded);
        Assert.IsFalse(unknown.Succeeded);
        Assert.IsNotNull((await AsSystem(host, () => users.GetAsync(created.Id)))!.LastLoginAt, "A good password records the login.");
        Assert.IsFalse(created.ToString().Contains("correct", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task CreateAsync_NameOrEmailTaken_ThrowsKI5103AndAddsNothing()
    {
        await using var host = await StartAsync();
        var users = host.Get<IUserStore>();
        var name = Unique("taken");
        await AsSystem(host, () => users.CreateAsync(new CreateUserRequest { Username = name, Email = name + "@example.test" }));

        var sameName = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => AsSystem(host, () => users.CreateAsync(new CreateUserRequest { Username = name })));
        var sameEmail = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => AsSystem(host, () => users.CreateAsync(new CreateUserRequest { Username = name + "-2", Email = name + "@example.test" })));
        var noRole = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => AsSystem(host, () => users.CreateAsync(new CreateUserRequest { Username = name + "-3", Roles = ["no-such-role"] })));

        Assert.AreEqual(ErrorCodes.IdentityNameTaken, sameName.ErrorCode);
        Assert.AreEqual(ErrorCodes.IdentityNameTaken, sameEmail.ErrorCode);
        Assert.AreEqual(ErrorCodes.RoleNotFound, noRole.ErrorCode);
        Assert.IsNull(await AsSystem(host, () => users.FindAsync(name + "-2")));
        Assert.IsNull(await AsSystem(host, () => users.FindAsync(name + "-3")));
    }

    [TestMethod]
    public async Task UserRole_OwnKeys_SignsVerifiesListsAndReadsItsLog()
    {
        await using var host = await StartAsync();
        var alice = await NewUserAsync(host, "alice");

        using (Callers(host).Use(alice))
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "alice's"));
            var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
            var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));
            var own = await host.Get<IKeyStore>().ListAsync(new KeyQuery { Owner = alice.StableId });
            var log = await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = key.Id });

            Assert.AreEqual(alice.StableId, key.Owner, "A key a user makes is the user's.");
            Assert.AreEqual(VerificationStatus.Valid, result.Status);
            Assert.AreEqual(key.Id, own.Items.Single().Id);
            Assert.AreEqual(VerificationStatus.Valid, log.Items.Single().Status);
        }
    }

    [TestMethod]
    public async Task UserRole_AnotherUsersKey_EveryUseDeniedAndVerificationRecordedAsAccessDenied()
    {
        await using var host = await StartAsync();
        var alice = await NewUserAsync(host, "alice");
        var bob = await NewUserAsync(host, "bob");
        KeyInfo key;
        byte[] signature;
        using (Callers(host).Use(alice))
        {
            key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "alice's"));
            signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
        }

        var store = host.Get<IKeyStore>();
        using (Callers(host).Use(bob))
        {
            Func<Task>[] denied =
            [
                () => store.GetAsync(key.Id),
                () => store.ExportPublicKeyAsync(key.Id, KeyFormat.Pem),
                () => store.RevokeAsync(key.Id, RevocationReason.KeyCompromise),
                () => store.ExpireAsync(key.Id),
                () => store.DeleteAsync(key.Id),
                () => store.GetAsync(KeyId.New()),
                () => store.ListAsync(new KeyQuery()),
                () => store.ListAsync(new KeyQuery { Owner = alice.StableId }),
                () => store.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "for alice") { Owner = alice.StableId }),
                () => host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document)),
                () => host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = key.Id }),
                () => host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery()),
                () => host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { CallerId = alice.StableId }),
            ];
            foreach (var call in denied)
            {
                var error = await Assert.ThrowsExactlyAsync<AccessDeniedException>(call);
                Assert.AreEqual(ErrorCodes.AccessDenied, error.ErrorCode);
                Assert.AreEqual(bob.StableId, error.CallerId);
            }

            var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature));
            Assert.AreEqual(VerificationStatus.AccessDenied, result.Status);

            // The records bob made are his to read, of any key: his denied verification among them, and nobody else's.
            var own = await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { CallerId = bob.StableId });
            Assert.IsTrue(own.Items.Any(r => r.Id == result.RecordId && r.Status == VerificationStatus.AccessDenied));
            Assert.IsTrue(own.Items.All(r => r.CallerId == bob.StableId));
        }

        using (Callers(host).Use(alice))
        {
            Assert.AreEqual(KeyStatus.Active, (await store.GetAsync(key.Id))!.Status, "Nothing bob tried changed the key.");
            var records = await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = key.Id });
            Assert.IsTrue(records.Items.Any(r => r.Status == VerificationStatus.AccessDenied && r.CallerId == bob.StableId), "The denied verification is in the log.");
        }
    }

    [TestMethod]
    public async Task Admin_AnotherUsersKey_IsAllowedAcrossTheTenant()
    {
        await using var host = await StartAsync();
        var alice = await NewUserAsync(host, "alice");
        var admin = await NewUserAsync(host, "admin", KeyInfraRoles.Admin);
        KeyInfo key;
        using (Callers(host).Use(alice))
        {
            key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "alice's"));
        }

        using (Callers(host).Use(admin))
        {
            Assert.AreEqual(key.Id, (await host.Get<IKeyStore>().GetAsync(key.Id))!.Id);
            Assert.IsTrue((await host.Get<IKeyStore>().ListAsync(new KeyQuery { PageSize = 1000 })).Items.Any(k => k.Id == key.Id));
            Assert.IsNotNull(await host.Get<IUserStore>().GetAsync(Guid.Parse(alice.Id)));
        }
    }

    [TestMethod]
    public async Task EachPermissionMissing_ItsOperationsAreDenied()
    {
        await using var host = await StartAsync();
        var roles = host.Get<IRoleStore>();
        var owner = await NewUserAsync(host, "owner");
        KeyInfo key;
        byte[] signature;
        using (Callers(host).Use(owner))
        {
            key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "shared"));
            signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
        }

        (string Permission, Func<Task<bool>> Denied)[] cases =
        [
            (KeyInfraPermissions.ManagePublicKeys, async () => await Throws(() => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "mine")))),
            (KeyInfraPermissions.Sign, async () => await Throws(() => host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document)))),
            (KeyInfraPermissions.VerifySignatures, async () => (await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature))).Status == VerificationStatus.AccessDenied),
            (KeyInfraPermissions.ReadLog, async () => await Throws(() => host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = key.Id }))),
            (KeyInfraPermissions.ManageUsers, async () => await Throws(() => host.Get<IUserStore>().ListAsync())),
        ];
        foreach (var (permission, denied) in cases)
        {
            // A role with everything the user role has, and manage_users, except the one permission.
            var role = "no-" + permission.Replace('_', '-') + "-" + Guid.NewGuid().ToString("N")[..8];
            await AsSystem(host, () => roles.CreateAsync(role));
            foreach (var granted in UserRolePermissions.Where(p => p != permission))
            {
                await AsSystem(host, () => roles.GrantAsync(role, granted));
            }

            var caller = await NewUserAsync(host, "lacks-" + permission, role);

            // The owner's key is used through its owner's application-less identity: the same user must own it, so the
            // key is handed over for the check of this permission only.
            var mine = await AsSystem(host, () => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "theirs") { Owner = caller.StableId }));
            var mineSignature = (await AsSystem(host, () => host.Get<ISigner>().SignAsync(new SignRequest(mine.Id, Document)))).Signature;
            key = mine;
            signature = mineSignature;
            using (Callers(host).Use(caller))
            {
                Assert.IsTrue(await denied(), $"Without {permission} the call is denied.");
            }
        }
    }

    [TestMethod]
    public async Task NoCaller_IsDenied_AndSystemCallerIsAllowed()
    {
        await using var host = await StartAsync();

        var denied = await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "nobody's")));
        var created = await AsSystem(host, () => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "the host's")));

        Assert.IsNull(denied.CallerId);
        Assert.IsNull(created.Owner, "A system caller's keys belong to no user.");
    }

    [TestMethod]
    public async Task SuspendedUser_IsDeniedAtOnce_AndActiveAgainAllowed()
    {
        await using var host = await StartAsync();
        var users = host.Get<IUserStore>();
        var carol = await NewUserAsync(host, "carol");
        using (Callers(host).Use(carol))
        {
            await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "before"));
        }

        await AsSystem(host, () => users.SetStatusAsync(Guid.Parse(carol.Id), UserStatus.Suspended));
        using (Callers(host).Use(carol))
        {
            await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "while suspended")));
        }

        await AsSystem(host, () => users.SetStatusAsync(Guid.Parse(carol.Id), UserStatus.Active));
        using (Callers(host).Use(carol))
        {
            Assert.IsNotNull(await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "after")));
        }
    }

    [TestMethod]
    public async Task UserOfOneTenant_InAnotherTenant_IsDenied()
    {
        var tenant = new SwitchableTenant();
        await using var host = await StartAsync(services: s => s.AddSingleton<ITenantContext>(tenant));
        var dave = await NewUserAsync(host, "dave");

        tenant.Current = Guid.CreateVersion7();
        using (Callers(host).Use(dave))
        {
            await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "elsewhere")));
        }

        Assert.IsNull(await AsSystem(host, () => host.Get<IUserStore>().GetAsync(Guid.Parse(dave.Id))), "Another tenant does not see the user.");
        Assert.IsFalse((await host.Get<IUserStore>().VerifyPasswordAsync(dave.DisplayName!, "pw")).Succeeded);
    }

    [TestMethod]
    public async Task ApplicationCredential_Checked_ActsAsTheApplicationOnItsOwnKeys()
    {
        await using var host = await StartAsync();
        var apps = host.Get<IApplicationStore>();
        var app = await AsSystem(host, () => apps.CreateAsync(new CreateApplicationRequest { Name = Unique("billing") }));
        var first = await AsSystem(host, () => apps.AddCredentialAsync(app.Id));
        var second = await AsSystem(host, () => apps.AddCredentialAsync(app.Id));

        var signedIn = await apps.VerifyCredentialAsync(first.Credential.ClientId, first.Secret);
        var wrong = await apps.VerifyCredentialAsync(first.Credential.ClientId, second.Secret);
        var unknown = await apps.VerifyCredentialAsync("ki_0000", first.Secret);

        Assert.IsTrue(signedIn.Succeeded);
        Assert.AreEqual("app:" + app.Id, signedIn.Caller!.StableId);
        Assert.IsFalse(wrong.Succeeded);
        Assert.IsFalse(unknown.Succeeded);
        Assert.AreSame(wrong, unknown, "A wrong secret and an unknown client id fail alike.");
        Assert.IsFalse(first.ToString().Contains(first.Secret, StringComparison.Ordinal));
        using (Callers(host).Use(signedIn.Caller))
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "billing's"));
            Assert.AreEqual(signedIn.Caller.StableId, key.Owner);
            Assert.IsNotNull(await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document)));
        }

        // Rotation without downtime: the second credential works while the first is revoked.
        await AsSystem(host, () => apps.RevokeCredentialAsync(app.Id, first.Credential.Id));
        Assert.IsFalse((await apps.VerifyCredentialAsync(first.Credential.ClientId, first.Secret)).Succeeded, "A revoked credential fails.");
        Assert.IsTrue((await apps.VerifyCredentialAsync(second.Credential.ClientId, second.Secret)).Succeeded);
        var listed = await AsSystem(host, () => apps.ListCredentialsAsync(app.Id));
        Assert.IsNotNull(listed.Single(c => c.Id == first.Credential.Id).RevokedAt);
        Assert.IsNotNull(listed.Single(c => c.Id == second.Credential.Id).LastUsedAt);
    }

    [TestMethod]
    public async Task ApplicationCredential_ExpiredOrApplicationDisabled_Fails()
    {
        var time = new ShiftedTime();
        await using var host = await StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var apps = host.Get<IApplicationStore>();
        var app = await AsSystem(host, () => apps.CreateAsync(new CreateApplicationRequest { Name = Unique("expiring") }));
        var credential = await AsSystem(host, () => apps.AddCredentialAsync(app.Id, time.GetUtcNow().AddHours(1)));
        Assert.IsTrue((await apps.VerifyCredentialAsync(credential.Credential.ClientId, credential.Secret)).Succeeded);

        time.Offset = TimeSpan.FromHours(2);
        Assert.IsFalse((await apps.VerifyCredentialAsync(credential.Credential.ClientId, credential.Secret)).Succeeded, "An expired credential fails.");

        var other = await AsSystem(host, () => apps.AddCredentialAsync(app.Id));
        await AsSystem(host, () => apps.SetStatusAsync(app.Id, ApplicationStatus.Disabled));
        Assert.IsFalse((await apps.VerifyCredentialAsync(other.Credential.ClientId, other.Secret)).Succeeded, "A disabled application's credentials fail.");
        using (Callers(host).Use(app.ToCaller()))
        {
            await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "disabled")));
        }
    }

    [TestMethod]
    public async Task VerifyCredentialAsync_RepeatedFailures_ThrottlesTheClientIdEvenForTheRightSecret()
    {
        var time = new ShiftedTime();
        await using var host = await StartAsync(
            o =>
            {
                o.AccessControl.MaxCredentialFailures = 3;
                o.AccessControl.CredentialLockoutSeconds = 60;
            },
            services: s => s.AddSingleton<TimeProvider>(time));
        var apps = host.Get<IApplicationStore>();
        var app = await AsSystem(host, () => apps.CreateAsync(new CreateApplicationRequest { Name = Unique("guessed") }));
        var credential = await AsSystem(host, () => apps.AddCredentialAsync(app.Id));

        for (var i = 0; i < 3; i++)
        {
            Assert.IsFalse((await apps.VerifyCredentialAsync(credential.Credential.ClientId, "guess " + i)).Succeeded);
        }

        var whileLocked = await apps.VerifyCredentialAsync(credential.Credential.ClientId, credential.Secret);
        time.Offset = TimeSpan.FromSeconds(61);
        var afterwards = await apps.VerifyCredentialAsync(credential.Credential.ClientId, credential.Secret);

        Assert.IsFalse(whileLocked.Succeeded, "A throttled client id fails even with its secret.");
        Assert.IsTrue(afterwards.Succeeded, "The lockout ends.");
    }

    [TestMethod]
    public async Task UserRole_AnotherUsersRing_CannotCreateOrImportIntoIt()
    {
        await using var host = await StartAsync();
        var alice = await NewUserAsync(host, "alice");
        var bob = await NewUserAsync(host, "bob");
        var ring = "ring-" + Guid.NewGuid().ToString("N");
        using (Callers(host).Use(alice))
        {
            await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "alice's ring") { RingName = ring });
        }

        using (Callers(host).Use(bob))
        {
            await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "pushed in") { RingName = ring }));
            await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<IKeyStore>().RotateAsync(ring));
        }

        using (Callers(host).Use(alice))
        {
            var latest = await host.Get<IKeyStore>().RotateAsync(ring);
            Assert.AreEqual(2, latest.RingVersion, "Nothing of bob's joined the ring.");
        }
    }

    [TestMethod]
    public async Task ImportReturnExisting_AnotherUsersKey_ImportsAsTheCallersOwnAndTellsNothing()
    {
        await using var host = await StartAsync();
        var alice = await NewUserAsync(host, "alice");
        var bob = await NewUserAsync(host, "bob");
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        KeyInfo alices;
        using (Callers(host).Use(alice))
        {
            alices = await host.Get<IKeyStore>().ImportAsync(new ImportKeyRequest("shared", spki, KeyFormat.Der) { ReturnExisting = true });
        }

        KeyInfo bobs, bobsAgain;
        using (Callers(host).Use(bob))
        {
            bobs = await host.Get<IKeyStore>().ImportAsync(new ImportKeyRequest("shared", spki, KeyFormat.Der) { ReturnExisting = true });
            bobsAgain = await host.Get<IKeyStore>().ImportAsync(new ImportKeyRequest("shared", spki, KeyFormat.Der) { ReturnExisting = true });
        }

        Assert.AreNotEqual(alices.Id, bobs.Id, "bob is not handed alice's key, nor told it exists.");
        Assert.AreEqual(bob.StableId, bobs.Owner);
        Assert.AreEqual(bobs.Id, bobsAgain.Id, "bob's own key is returned to him.");
    }

    [TestMethod]
    public async Task UserOfADisabledApplication_CannotUseTheApplicationsKeys()
    {
        await using var host = await StartAsync();
        var apps = host.Get<IApplicationStore>();
        var app = await AsSystem(host, () => apps.CreateAsync(new CreateApplicationRequest { Name = Unique("team") }));
        var member = (await AsSystem(host, () => host.Get<IUserStore>().CreateAsync(new CreateUserRequest { Username = Unique("member"), ApplicationId = app.Id }))).ToCaller();
        var key = await AsSystem(host, () => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "the team's") { Owner = app.ToCaller().StableId }));

        using (Callers(host).Use(member))
        {
            Assert.IsNotNull(await host.Get<IKeyStore>().GetAsync(key.Id), "A user may use its application's keys.");
        }

        await AsSystem(host, () => apps.SetStatusAsync(app.Id, ApplicationStatus.Disabled));
        using (Callers(host).Use(member))
        {
            await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<IKeyStore>().GetAsync(key.Id));
        }
    }

    [TestMethod]
    public async Task VerifyCredentialAsync_ParallelGuesses_AreCountedBeforeTheyAreChecked()
    {
        await using var host = await StartAsync(o =>
        {
            o.AccessControl.MaxCredentialFailures = 3;
            o.AccessControl.CredentialLockoutSeconds = 600;
        });
        var apps = host.Get<IApplicationStore>();
        var app = await AsSystem(host, () => apps.CreateAsync(new CreateApplicationRequest { Name = Unique("parallel") }));
        var credential = await AsSystem(host, () => apps.AddCredentialAsync(app.Id));

        var guesses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => apps.VerifyCredentialAsync(credential.Credential.ClientId, "guess " + i))));
        var right = await apps.VerifyCredentialAsync(credential.Credential.ClientId, credential.Secret);

        Assert.IsTrue(guesses.All(g => !g.Succeeded));
        Assert.IsFalse(right.Succeeded, "Twelve parallel guesses lock the client id like twelve in a row.");
    }

    [TestMethod]
    public async Task DatabaseWriter_UnsuspendsUser_RowIsRefusedAndUserStaysDenied()
    {
        await using var host = await StartAsync();
        var erin = await NewUserAsync(host, "erin");
        await AsSystem(host, () => host.Get<IUserStore>().SetStatusAsync(Guid.Parse(erin.Id), UserStatus.Suspended));

        await Storage.TamperAsync("UPDATE users SET status = 1 WHERE id = $1", Guid.Parse(erin.Id));
        await using var fresh = await StartAsync();

        using (Callers(fresh).Use(erin))
        {
            await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => fresh.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "after the update")));
        }

        Assert.IsNull(await AsSystem(fresh, () => fresh.Get<IUserStore>().GetAsync(Guid.Parse(erin.Id))), "A row that fails authentication is not a user.");
    }

    [TestMethod]
    public async Task DatabaseWriter_GrantsAdminOrCopiesAGrant_GrantsNothing()
    {
        await using var host = await StartAsync();
        var frank = await NewUserAsync(host, "frank");

        // Someone holds the admin role, so its row exists for the forged assignment to point at (whatever ran before).
        await NewUserAsync(host, "frank-admin", KeyInfraRoles.Admin);
        var tenantId = host.Get<ITenantContext>().TenantId;
        await AsSystem(host, () => host.Get<IRoleStore>().GrantAsync("user", KeyInfraPermissions.ReadAudit));

        // A user_roles row without a MAC, and a role_permissions row with the MAC of another grant.
        await Storage.TamperAsync("INSERT INTO user_roles (tenant_id, user_id, role, created_at) VALUES ($1, $2, 'admin', $3)", tenantId, Guid.Parse(frank.Id), DateTimeOffset.UtcNow);
        await Storage.TamperAsync(
            "INSERT INTO role_permissions (tenant_id, role, permission, created_at, row_mac, row_mac_master_key_id) SELECT tenant_id, role, 'manage_users', created_at, row_mac, row_mac_master_key_id FROM role_permissions WHERE tenant_id = $1 AND role = 'user' AND permission = 'read_audit'",
            tenantId);
        await using var fresh = await StartAsync();

        using (Callers(fresh).Use(frank))
        {
            await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => fresh.Get<IUserStore>().ListAsync());
            await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => fresh.Get<IKeyStore>().ListAsync(new KeyQuery()));
        }

        var roles = await AsSystem(fresh, () => fresh.Get<IRoleStore>().ListAsync());
        Assert.IsFalse(roles.Single(r => r.Name == "user").Permissions.Contains(KeyInfraPermissions.ManageUsers));
        Assert.IsTrue(roles.Single(r => r.Name == "user").Permissions.Contains(KeyInfraPermissions.ReadAudit), "The genuine grant stands.");
    }

    [TestMethod]
    public async Task DatabaseWriter_UnrevokesOrReplacesACredential_CredentialFails()
    {
        await using var host = await StartAsync();
        var apps = host.Get<IApplicationStore>();
        var app = await AsSystem(host, () => apps.CreateAsync(new CreateApplicationRequest { Name = Unique("tampered") }));
        var revoked = await AsSystem(host, () => apps.AddCredentialAsync(app.Id));
        var planted = await AsSystem(host, () => apps.AddCredentialAsync(app.Id));
        await AsSystem(host, () => apps.RevokeCredentialAsync(app.Id, revoked.Credential.Id));
        var hash = host.Get<ICredentialHasher>().Hash("the writer's own secret");

        await Storage.TamperAsync("UPDATE application_credentials SET revoked_at = NULL WHERE id = $1", revoked.Credential.Id);
        await Storage.TamperAsync("UPDATE application_credentials SET secret_hash = $1 WHERE id = $2", hash, planted.Credential.Id);

        Assert.IsFalse((await apps.VerifyCredentialAsync(revoked.Credential.ClientId, revoked.Secret)).Succeeded, "Un-revoking breaks the row's MAC.");
        Assert.IsFalse((await apps.VerifyCredentialAsync(planted.Credential.ClientId, "the writer's own secret")).Succeeded, "A planted hash breaks the row's MAC.");
        Assert.IsFalse((await apps.VerifyCredentialAsync(planted.Credential.ClientId, planted.Secret)).Succeeded);
    }

    [TestMethod]
    public async Task Roles_CustomRoleGrantAndRevoke_ListedWithWhatTheyGrant()
    {
        await using var host = await StartAsync(o => o.AccessControl.Roles["auditor"] = [KeyInfraPermissions.ReadLog]);
        var roles = host.Get<IRoleStore>();
        var name = "custom-" + Guid.NewGuid().ToString("N")[..8];

        await AsSystem(host, () => roles.CreateAsync(name, "for the test"));
        await AsSystem(host, () => roles.GrantAsync(name, KeyInfraPermissions.Sign));
        await AsSystem(host, () => roles.GrantAsync("auditor", KeyInfraPermissions.ReadAudit));
        var granted = await AsSystem(host, () => roles.ListAsync());
        await AsSystem(host, () => roles.RevokeAsync(name, KeyInfraPermissions.Sign));
        await AsSystem(host, () => roles.RevokeAsync("auditor", KeyInfraPermissions.ReadLog));
        var revoked = await AsSystem(host, () => roles.ListAsync());
        var taken = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => AsSystem(host, () => roles.CreateAsync("admin")));

        CollectionAssert.AreEqual(new[] { KeyInfraPermissions.Sign }, granted.Single(r => r.Name == name).Permissions.ToArray());
        CollectionAssert.AreEqual(new[] { KeyInfraPermissions.ReadLog, KeyInfraPermissions.ReadAudit }, granted.Single(r => r.Name == "auditor").Permissions.ToArray());
        Assert.AreEqual(0, revoked.Single(r => r.Name == name).Permissions.Count);
        CollectionAssert.AreEqual(new[] { KeyInfraPermissions.ReadLog, KeyInfraPermissions.ReadAudit }, revoked.Single(r => r.Name == "auditor").Permissions.ToArray(), "What configuration grants stays.");
        CollectionAssert.AreEqual(new[] { KeyInfraPermissions.ReadAudit }, revoked.Single(r => r.Name == "auditor").StoredPermissions.ToArray());
        Assert.IsTrue(revoked.Single(r => r.Name == KeyInfraRoles.Admin).BuiltIn);
        Assert.AreEqual(ErrorCodes.IdentityNameTaken, taken.ErrorCode);
    }

    [TestMethod]
    public async Task AuthorizerAllowsOverSomeOwners_TheEngineKeepsItOnEveryRead_WhateverTheProvider()
    {
        const string Mine = "user:mine";
        await using var host = await StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IKeyInfraAuthorizer>(new OwnerScopedAuthorizer(Mine))));
        var keys = host.Get<IKeyStore>();
        var mine = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "mine") { Owner = Mine });
        var theirs = await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "theirs") { Owner = "user:theirs" });
        foreach (var key in new[] { mine, theirs })
        {
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature));
        }

        var batch = await host.Get<IVerifier>().VerifyBatchAsync([new VerificationRequest(mine.Id, Document, new byte[64])]);
        var log = host.Get<IVerificationLog>();
        await log.FlushAsync();

        var listed = await keys.ListAsync(new KeyQuery());
        var foundTheirs = await keys.FindByPublicKeyAsync(PublicKeyLookup.ForPublicKey(theirs.PublicKeySpki.ToArray(), KeyFormat.Der));
        var foundMine = await keys.FindByPublicKeyAsync(PublicKeyLookup.ForPublicKey(mine.PublicKeySpki.ToArray(), KeyFormat.Der));
        var records = await log.QueryAsync(new VerificationLogQuery());
        var storedBatch = await log.GetBatchAsync(batch.BatchId!.Value);

        Assert.AreEqual(mine.Id, listed.Items.Single().Id);
        Assert.AreEqual(0, foundTheirs.Count);
        Assert.AreEqual(mine.Id, foundMine.Single().Id);
        Assert.IsTrue(records.Items.Count > 0 && records.Items.All(r => r.RequestedKeyId == mine.Id), "only the records made with the owner's key");
        Assert.IsNull(storedBatch, "the batch's caller is not among the owners");
        Assert.IsNotNull(await keys.GetAsync(mine.Id));
        await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => keys.GetAsync(theirs.Id));
        await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => keys.RevokeAsync(theirs.Id, RevocationReason.Unspecified));
        await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<KeyInfra.Verification.Chain.IVerificationLogAuditor>().VerifyAsync(new KeyInfra.Verification.Chain.LogAuditRequest()));
    }

    /// <summary>Allows creating, signing and verifying; everything else over one owner's rows only.</summary>
    private sealed class OwnerScopedAuthorizer(string owner) : IKeyInfraAuthorizer
    {
        public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
            => new(request.Operation is KeyInfraOperation.CreateKey or KeyInfraOperation.Sign or KeyInfraOperation.Verify
                ? AuthorizationDecision.Allow
                : AuthorizationDecision.AllowOwners([owner]));
    }

    [TestMethod]
    public async Task MasterKeyRotation_RewrapsAccessControlRows_AndTheOldKeyRetiresWithoutLockingAnyoneOut()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var oldKey = TestHost.NewMasterKey();
        var newKey = TestHost.NewMasterKey();
        Caller user;
        NewApplicationCredential credential;
        string oldKeyId;
        await using (var host = await StartAsync(database, oldKey))
        {
            user = await NewUserAsync(host, "rotated");
            var app = await AsSystem(host, () => host.Get<IApplicationStore>().CreateAsync(new CreateApplicationRequest { Name = Unique("rotated") }));
            credential = await AsSystem(host, () => host.Get<IApplicationStore>().AddCredentialAsync(app.Id));
            await AsSystem(host, () => host.Get<IRoleStore>().GrantAsync(KeyInfraRoles.User, KeyInfraPermissions.ReadAudit));
            await AsSystem(host, () => host.Get<ICurveStore>().SetStatusAsync(KeyCurve.Secp256k1, CurveStatus.Disabled));
            oldKeyId = (await AsSystem(host, () => host.Get<KeyInfra.Encryption.Rotation.IMasterKeyRotation>().GetStatusAsync())).CurrentKeyId;
        }

        await using (var host = await StartAsync(database, newKey, o => o.PreviousMasterKeys = oldKey))
        {
            // The deployment's keys are the host's: a user, even an admin, may not touch them.
            var admin = await NewUserAsync(host, "rotation-admin", KeyInfraRoles.Admin);
            using (Callers(host).Use(admin))
            {
                var denied = await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<KeyInfra.Encryption.Rotation.IMasterKeyRotation>().GetStatusAsync());
                Assert.AreEqual(KeyInfraOperation.ManageMasterKeys, denied.Operation);
                await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<KeyInfra.Encryption.Rotation.IMasterKeyRotation>().RewrapAsync());
                await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<KeyInfra.Encryption.IPrivateKeyReencryptor>().ReencryptAllAsync(new KeyInfra.Encryption.ReencryptionOptions()));
                var rowsDenied = await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<KeyInfra.RowAuthentication.IKeyRowAuthenticator>().AuthenticateAllAsync());
                Assert.AreEqual(KeyInfraOperation.ManageMasterKeys, rowsDenied.Operation);
            }

            using var system = Callers(host).Use(Caller.ForSystem("rotation"));
            var rotation = host.Get<KeyInfra.Encryption.Rotation.IMasterKeyRotation>();
            var before = (await rotation.GetStatusAsync()).Keys.Single(k => k.Id == oldKeyId);
            var refused = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => rotation.RetireAsync(oldKeyId));
            var summary = await rotation.RewrapAsync();
            var after = (await rotation.GetStatusAsync()).Keys.Single(k => k.Id == oldKeyId);
            await rotation.RetireAsync(oldKeyId);

            // one user, its role, one application, its role, one credential, one grant, one curve's status
            Assert.AreEqual(7L, before.IdentityRowMacs);
            Assert.AreEqual(ErrorCodes.MasterKeyInUse, refused.ErrorCode);
            var step = summary.OtherSteps.Single(s => s.Step == KeyInfra.Encryption.Rotation.MasterKeyRewrapSteps.IdentityRows);
            Assert.AreEqual(7L, step.Changed);
            Assert.AreEqual(0L, step.Failed);
            Assert.AreEqual(0L, after.IdentityRowMacs);
        }

        await using (var host = await StartAsync(database, newKey))
        {
            using (Callers(host).Use(user))
            {
                Assert.IsNotNull(await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "after the rotation")));
            }

            Assert.IsTrue((await host.Get<IApplicationStore>().VerifyCredentialAsync(credential.Credential.ClientId, credential.Secret)).Succeeded);
            var roles = await AsSystem(host, () => host.Get<IRoleStore>().ListAsync());
            Assert.IsTrue(roles.Single(r => r.Name == KeyInfraRoles.User).StoredPermissions.Contains(KeyInfraPermissions.ReadAudit));
            var curve = (await AsSystem(host, () => host.Get<ICurveStore>().ListAsync())).Single(c => c.Curve == KeyCurve.Secp256k1);
            Assert.AreEqual("database", curve.DisabledBy, "the curve's status was sealed again under the new key, and still says disabled");
        }
    }

    private Task<TestHost> StartAsync(Action<KeyInfraOptions>? options = null, Action<IServiceCollection>? services = null)
        => AccessControlHosts.StartAsync(Storage, s_masterKey, options, services);

    private static Task<TestHost> StartAsync(ConformanceStorage database, string masterKey, Action<EnvironmentMasterKeyOptions>? masterKeyOptions = null)
        => AccessControlHosts.StartAsync(database, masterKey, masterKeyOptions: masterKeyOptions);

    private static Task<Caller> NewUserAsync(TestHost host, string name, string role = KeyInfraRoles.User) => AccessControlHosts.NewUserAsync(host, name, role);

    private static AsyncLocalCallerContext Callers(TestHost host) => AccessControlHosts.Callers(host);

    private static Task<T> AsSystem<T>(TestHost host, Func<Task<T>> call) => AccessControlHosts.AsSystem(host, call);

    private static async Task<bool> Throws(Func<Task> call)
    {
        try
        {
            await call();
            return false;
        }
        catch (AccessDeniedException)
        {
            return true;
        }
    }

    private static string Unique(string name) => AccessControlHosts.Unique(name);

    private sealed class SwitchableTenant : ITenantContext
    {
        public Guid Current { get; set; } = Guid.Empty;

        public Guid TenantId => Current;
    }

    private sealed class ShiftedTime : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
