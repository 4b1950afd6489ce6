using KeyInfra.Authorization;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Tests.Conformance;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// The ownership rule as row-level security (migration <c>OwnerRowLevelSecurity</c>): with <c>keyinfra.owners</c> set,
/// the application role sees only those owners' keys, and only the records they made or made with their keys, whatever
/// the query's WHERE says; through the provider, the engine's <see cref="OwnerScope"/> sets it on the connection.
/// </summary>
[TestClass]
public sealed class OwnerRowLevelSecurityTests
{
    private const string Alice = "user:alice";
    private const string Bob = "user:bob";
    private const string App = "app:billing";

    // An owner that needs quoting in an array literal: the setting must carry it whole.
    private const string Odd = "user:\"odd, {name}\"";

    private static readonly Guid s_tenant = Guid.CreateVersion7();
    private static PostgreSqlTestDatabase s_database = null!;
    private static ServiceProvider s_services = null!;
    private static KeyRecord s_aliceKey = null!;
    private static KeyRecord s_bobKey = null!;
    private static KeyRecord s_appKey = null!;
    private static KeyRecord s_oddKey = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        s_database = await PostgreSqlTestDatabase.CreateAsync();
        s_services = s_database.BuildServices();
        var keys = s_services.GetRequiredService<IKeyRepository>();
        s_aliceKey = TestData.Key(s_tenant, name: "alice's", owner: Alice);
        s_bobKey = TestData.Key(s_tenant, name: "bob's", owner: Bob);
        s_appKey = TestData.Key(s_tenant, name: "the application's", owner: App);
        s_oddKey = TestData.Key(s_tenant, name: "odd's", owner: Odd);
        foreach (var key in new[] { s_aliceKey, s_bobKey, s_appKey, s_oddKey, TestData.Key(s_tenant, name: "nobody's") })
        {
            await keys.AddAsync(key);
        }

        // Alice verifies with Bob's key, Bob with Alice's and his own, the host with the application's.
        await s_services.GetRequiredService<IVerificationLogRepository>().AppendAsync(
            [Made(s_bobKey, Alice), Made(s_aliceKey, Bob), Made(s_bobKey, Bob), Made(s_appKey, "system:host")], []);
    }

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        await (s_services?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (s_database?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [TestMethod]
    public async Task Policies_RestrictiveAndForSelect_OnKeysRecordsAndCertificates()
    {
        Assert.AreEqual(
            "certificates:RESTRICTIVE:SELECT,public_keys:RESTRICTIVE:SELECT,verification_records:RESTRICTIVE:SELECT",
            await s_database.AdminScalarAsync<string>(
                "SELECT string_agg(tablename || ':' || permissive || ':' || cmd, ',' ORDER BY tablename) FROM pg_policies WHERE policyname = 'owner_scope' AND tablename NOT LIKE 'certificates\\_p%'"));

        // Every partition of certificates (it can be named directly) carries the owner scope as well.
        Assert.AreEqual(0L, await s_database.AdminScalarAsync<long>(
            "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'certificates'::regclass " +
            "AND NOT EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'owner_scope' AND p.permissive = 'RESTRICTIVE')"));
        Assert.IsGreaterThanOrEqualTo(16L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM pg_policies WHERE policyname = 'owner_scope' AND tablename LIKE 'certificates\\_p%'"));
    }

    [TestMethod]
    public async Task RawSelect_NoOwnersSet_TheWholeTenant()
    {
        Assert.AreEqual(5L, await AsOwnersAsync(null, c => Scalar<long>(c, "SELECT count(*) FROM public_keys")));
        Assert.AreEqual(4L, await AsOwnersAsync(null, c => Scalar<long>(c, "SELECT count(*) FROM verification_records")));
    }

    [TestMethod]
    public async Task RawSelect_AsAlice_OnlyHerKeys_WhateverTheWhereClauseSays()
    {
        var all = await AsOwnersAsync([Alice], c => Scalar<long>(c, "SELECT count(*) FROM public_keys"));
        var bobs = await AsOwnersAsync([Alice], c => Scalar<long>(c, "SELECT count(*) FROM public_keys WHERE owner = $1", Bob));
        var unowned = await AsOwnersAsync([Alice], c => Scalar<long>(c, "SELECT count(*) FROM public_keys WHERE owner IS NULL"));

        Assert.AreEqual(1L, all);
        Assert.AreEqual(0L, bobs);
        Assert.AreEqual(0L, unowned);
    }

    [TestMethod]
    public async Task RawSelect_AsAlice_TheRecordsSheMadeAndThoseOfHerKeys()
    {
        var mine = await AsOwnersAsync([Alice], c => Scalar<long>(c, "SELECT count(*) FROM verification_records"));
        var bobsOwn = await AsOwnersAsync([Alice], c => Scalar<long>(c, "SELECT count(*) FROM verification_records WHERE caller_id = $1 AND requested_key_id = $2", Bob, s_bobKey.Id.Value));

        Assert.AreEqual(2L, mine, "her verification with Bob's key, and Bob's with hers");
        Assert.AreEqual(0L, bobsOwn);
    }

    [TestMethod]
    public async Task RawSelect_AnEmptyOwnerList_SeesNothing()
    {
        Assert.AreEqual(0L, await AsOwnersAsync([], c => Scalar<long>(c, "SELECT count(*) FROM public_keys")));
        Assert.AreEqual(0L, await AsOwnersAsync([], c => Scalar<long>(c, "SELECT count(*) FROM verification_records")));
    }

    [TestMethod]
    public async Task RawSelect_AsBob_HisRecordsAndThoseOfHisKey_AndAnOwnerThatNeedsQuoting()
    {
        var bobs = await AsOwnersAsync([Bob], c => Scalar<long>(c, "SELECT count(*) FROM verification_records"));
        var odds = await AsOwnersAsync([Odd], c => Scalar<Guid>(c, "SELECT id FROM public_keys"));

        Assert.AreEqual(3L, bobs, "Alice's with his key, and both of his own");
        Assert.AreEqual(s_oddKey.Id.Value, odds);
    }

    [TestMethod]
    public async Task Engine_AuthorizerLimitsAReadToOwners_TheDatabaseReturnsNoOtherOwnersRows()
    {
        // An authorizer that allows the unfiltered list and log query but limits them to one owner (whose name needs
        // quoting in the setting): the query asks for everything, and row-level security keeps Bob's keys and records out.
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var host = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, PostgreSqlTestHost.NewMasterKey(),
            services: s => s.Replace(ServiceDescriptor.Singleton<IKeyInfraAuthorizer>(new AliceOnlyReads())));
        var keys = host.Get<IKeyStore>();
        var document = "owner scope"u8.ToArray();
        var alices = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "odd's") { Owner = Odd });
        var bobs = await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "bob's") { Owner = Bob });
        foreach (var key in new[] { alices, bobs })
        {
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, document))).Signature;
            await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, document, signature));
        }

        await host.Get<IVerificationLog>().FlushAsync();

        var listed = await keys.ListAsync(new KeyQuery());
        var records = await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery());

        Assert.AreEqual(alices.Id, listed.Items.Single().Id);
        Assert.AreEqual(alices.Id, records.Items.Single().RequestedKeyId);
        Assert.AreEqual(2L, await database.AdminScalarAsync<long>("SELECT count(*) FROM public_keys"));
        Assert.AreEqual(2L, await database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records"));
        Assert.IsNotNull(await keys.GetAsync(bobs.Id), "outside a list, the key is read unscoped (and its use decided by the authorizer)");
    }

    [TestMethod]
    public async Task Engine_BuiltInAuthorizer_AnOwnerScopedUsersListRunsInItsOwnersScope_AnAdminsInNone()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        GatedKeyRepository gated = null!;
        await using var host = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, PostgreSqlTestHost.NewMasterKey(),
            services: s =>
            {
                s.AddKeyInfrastructure().UseRoleBasedAccessControl();
                GatedKeyRepository.Register(s, r => gated = r);
            });
        var callers = host.Get<AsyncLocalCallerContext>();
        Caller user, admin;
        using (callers.Use(Caller.ForSystem("test")))
        {
            user = (await host.Get<Identity.IUserStore>().CreateAsync(new Identity.CreateUserRequest { Username = "scoped" })).ToCaller();
            admin = (await host.Get<Identity.IUserStore>().CreateAsync(new Identity.CreateUserRequest { Username = "admin", Roles = [KeyInfraRoles.Admin] })).ToCaller();
        }

        KeyPage own, all;
        using (callers.Use(user))
        {
            await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "the user's"));
            gated.ListScopes.Clear();
            own = await host.Get<IKeyStore>().ListAsync(new KeyQuery { Owner = user.StableId });
        }

        Assert.IsTrue(gated.ListScopes.TryDequeue(out var userScope));
        using (callers.Use(admin))
        {
            await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "the admin's"));
            all = await host.Get<IKeyStore>().ListAsync(new KeyQuery());
        }

        Assert.IsTrue(gated.ListScopes.TryDequeue(out var adminScope));
        CollectionAssert.AreEqual(new[] { user.StableId }, userScope!.ToArray());
        Assert.IsNull(adminScope, "an admin sees the tenant");
        Assert.AreEqual(1, own.Items.Count);
        Assert.AreEqual(2, all.Items.Count);
    }

    private sealed class AliceOnlyReads : IKeyInfraAuthorizer
    {
        public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
            => new(request.Operation is KeyInfraOperation.ListKeys or KeyInfraOperation.ReadLog ? AuthorizationDecision.AllowOwners([Odd]) : AuthorizationDecision.Allow);
    }

    private static VerificationRecord Made(KeyRecord key, string callerId)
        => TestData.Record(s_tenant, key.Id) with { CallerId = callerId };

    private static async Task<T> AsOwnersAsync<T>(string[]? owners, Func<NpgsqlConnection, Task<T>> action)
    {
        await using var connection = await s_database.OpenAsApplicationAsync(s_tenant, owners);
        return await action(connection);
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
