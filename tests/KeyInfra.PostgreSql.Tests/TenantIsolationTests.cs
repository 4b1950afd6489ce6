using KeyInfra.EntityFrameworkCore;
using KeyInfra.Keys;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using KeyInfra.Tests.Conformance;
using KeyInfra.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// Row-level security, proven with raw SQL through the application role: a connection set to tenant A cannot
/// read, change, delete or add tenant B's rows, whatever its WHERE clause says.
/// </summary>
[TestClass]
public sealed class TenantIsolationTests
{
    private static readonly Guid s_tenantA = Guid.CreateVersion7();
    private static readonly Guid s_tenantB = Guid.CreateVersion7();
    private static PostgreSqlTestDatabase s_database = null!;
    private static ServiceProvider s_services = null!;
    private static KeyRecord s_keyA = null!;
    private static KeyRecord s_keyB = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        s_database = await PostgreSqlTestDatabase.CreateAsync();
        s_services = s_database.BuildServices();
        var keys = s_services.GetRequiredService<IKeyRepository>();
        var log = s_services.GetRequiredService<IVerificationLogRepository>();
        s_keyA = TestData.Key(s_tenantA, name: "key of A");
        s_keyB = TestData.Key(s_tenantB, name: "key of B");
        await keys.AddAsync(s_keyA);
        await keys.AddAsync(s_keyB);
        await log.AppendAsync([TestData.Record(s_tenantA, s_keyA.Id), TestData.Record(s_tenantB, s_keyB.Id), TestData.Record(s_tenantB, s_keyB.Id)], [Batch(s_tenantA, s_keyA.Id), Batch(s_tenantB, s_keyB.Id)]);
    }

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        await (s_services?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (s_database?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [TestMethod]
    public async Task ApplicationRole_IsNeitherOwnerNorExempt()
    {
        Assert.IsFalse(await s_database.AdminScalarAsync<bool>("SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = 'keyinfra_app'"));
        Assert.AreEqual("keyinfra_owner", await s_database.AdminScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE tablename = 'public_keys'"));
        foreach (var table in new[] { "public_keys", "private_keys", "verification_records", "batch_verifications", "batch_verification_items" })
        {
            Assert.IsTrue(await s_database.AdminScalarAsync<bool>("SELECT relrowsecurity FROM pg_class WHERE oid = $1::regclass", table), table);
        }
    }

    [TestMethod]
    public async Task EveryTableWithATenant_HasRowLevelSecurity_ForcedOnAllButTheLogDigests()
    {
        // The log's digest and checkpoint tables leave their owner exempt: its retention function reads and removes them
        // across tenants. Every other table holds its owner to the policy too.
        var tables = await s_database.AdminScalarAsync<string>(
            "SELECT coalesce(string_agg(c.relname, ',' ORDER BY c.relname), '') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
            + "AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) "
            + "AND NOT (c.relrowsecurity AND (c.relforcerowsecurity OR c.relname IN ('verification_log_digests', 'verification_log_checkpoints')))");

        Assert.AreEqual("", tables, "Tables with a tenant but without row-level security.");
        StringAssert.Contains(
            await s_database.AdminScalarAsync<string>("SELECT string_agg(tablename, ',') FROM pg_policies WHERE policyname = 'tenant_isolation'"),
            "application_credentials");
    }

    [TestMethod]
    public async Task IdentityTables_ApplicationRole_CannotDeleteUsersApplicationsOrCredentials()
    {
        foreach (var table in new[] { "users", "applications", "application_credentials", "roles" })
        {
            var error = await Assert.ThrowsExactlyAsync<PostgresException>(() => AsTenantAsync(s_tenantA, c => Execute(c, $"DELETE FROM {table}")), table);
            Assert.AreEqual(PostgresErrorCodes.InsufficientPrivilege, error.SqlState, table);
        }
    }

    [TestMethod]
    [DataRow("public_keys", 1L)]
    [DataRow("private_keys", 1L)]
    [DataRow("verification_records", 1L)]
    [DataRow("batch_verifications", 1L)]
    [DataRow("batch_verification_items", 2L)]
    public async Task RawSelect_AsTenantA_SeesOnlyTenantARows(string table, long expected)
    {
        var total = await s_database.AdminScalarAsync<long>($"SELECT count(*) FROM {table}");

        var visible = await AsTenantAsync(s_tenantA, c => Scalar<long>(c, $"SELECT count(*) FROM {table}"));
        var visibleOfB = await AsTenantAsync(s_tenantA, c => Scalar<long>(c, $"SELECT count(*) FROM {table} WHERE {OwnedByB(table)}", s_tenantB, s_keyB.Id.Value));

        Assert.IsGreaterThan(expected, total);
        Assert.AreEqual(expected, visible);
        Assert.AreEqual(0L, visibleOfB);
    }

    [TestMethod]
    public async Task RawSelect_PartitionByName_StillFiltered()
    {
        // The records were made at TestData.Epoch (yesterday), so they are in that month's partition.
        var partition = $"verification_records_p{TestData.Epoch:yyyy_MM}";

        var visible = await AsTenantAsync(s_tenantA, c => Scalar<long>(c, $"SELECT count(*) FROM {partition}"));

        Assert.AreEqual(3L, await s_database.AdminScalarAsync<long>($"SELECT count(*) FROM {partition}"));
        Assert.AreEqual(1L, visible);
    }

    [TestMethod]
    public async Task RawUpdateAndDelete_OfTenantBRows_ChangeNothing()
    {
        var updated = await AsTenantAsync(s_tenantA, c => Execute(c, "UPDATE public_keys SET name = 'stolen', status = 'revoked' WHERE tenant_id = $1", s_tenantB));

        // The log tables are append-only for the application role: a DELETE is refused before row-level security is asked.
        var deletedRecords = await Assert.ThrowsExactlyAsync<PostgresException>(() => AsTenantAsync(s_tenantA, c => Execute(c, "DELETE FROM verification_records WHERE tenant_id = $1", s_tenantB)));
        var deletedAll = await Assert.ThrowsExactlyAsync<PostgresException>(() => AsTenantAsync(s_tenantA, c => Execute(c, "DELETE FROM batch_verification_items WHERE batch_id IN (SELECT id FROM batch_verifications WHERE tenant_id = $1)", s_tenantB)));

        Assert.AreEqual(0, updated);
        Assert.AreEqual(PostgresErrorCodes.InsufficientPrivilege, deletedRecords.SqlState);
        Assert.AreEqual(PostgresErrorCodes.InsufficientPrivilege, deletedAll.SqlState);
        Assert.AreEqual("key of B", await s_database.AdminScalarAsync<string>("SELECT name FROM public_keys WHERE id = $1", s_keyB.Id.Value));
        Assert.AreEqual(2L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", s_tenantB));
    }

    [TestMethod]
    public async Task RawInsertOrMove_IntoTenantB_IsRefused()
    {
        var insert = await Assert.ThrowsExactlyAsync<PostgresException>(() => AsTenantAsync(s_tenantA, c => Execute(c,
            "INSERT INTO verification_records (id, tenant_id, requested_key_id, result, document_sha256, signature_sha256, verified_at) VALUES (gen_random_uuid(), $1, gen_random_uuid(), 'valid', '\\x00', '\\x00', now())",
            s_tenantB)));
        var move = await Assert.ThrowsExactlyAsync<PostgresException>(() => AsTenantAsync(s_tenantA, c => Execute(c, "UPDATE public_keys SET tenant_id = $1 WHERE id = $2", s_tenantB, s_keyA.Id.Value)));

        Assert.AreEqual(PostgresErrorCodes.InsufficientPrivilege, insert.SqlState);
        StringAssert.Contains(insert.MessageText, "row-level security");
        Assert.AreEqual(PostgresErrorCodes.InsufficientPrivilege, move.SqlState);
    }

    [TestMethod]
    public async Task RawSelect_WithoutTenantSetting_SeesNothing()
    {
        await using var connection = new NpgsqlConnection(s_database.AppConnectionString);
        await connection.OpenAsync();

        Assert.AreEqual(0L, await Scalar<long>(connection, "SELECT count(*) FROM public_keys"));
        Assert.AreEqual(0L, await Scalar<long>(connection, "SELECT count(*) FROM verification_records"));
    }

    [TestMethod]
    public async Task RawSelect_MalformedTenantSetting_FailsClosed()
    {
        await using var connection = new NpgsqlConnection(s_database.AppConnectionString);
        await connection.OpenAsync();
        await Execute(connection, "SELECT set_config('keyinfra.tenant_id', $1, false)", "not-a-uuid' OR true --");

        var error = await Assert.ThrowsExactlyAsync<PostgresException>(() => Scalar<long>(connection, "SELECT count(*) FROM public_keys"));

        Assert.AreEqual(PostgresErrorCodes.InvalidTextRepresentation, error.SqlState);
    }

    [TestMethod]
    public async Task EfConnection_TenantContext_SetsTheSettingOnEveryOpen()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITenantContext, TestTenantContext>();
        services.AddKeyInfrastructure(o => o.MigrateOnStartup = false).UsePostgreSql(s_database.AppConnectionString);
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IDbContextFactory<KeyInfraDbContext>>();

        string settingA, settingB;
        using (TestTenantContext.Use(s_tenantA))
        {
            await using var context = await factory.CreateDbContextAsync();
            settingA = await context.Database.SqlQueryRaw<string>("SELECT current_setting('keyinfra.tenant_id') AS \"Value\"").SingleAsync();
        }

        using (TestTenantContext.Use(s_tenantB))
        {
            await using var context = await factory.CreateDbContextAsync();
            settingB = await context.Database.SqlQueryRaw<string>("SELECT current_setting('keyinfra.tenant_id') AS \"Value\"").SingleAsync();
        }

        Assert.AreEqual(s_tenantA.ToString(), settingA);
        Assert.AreEqual(s_tenantB.ToString(), settingB);
    }

    [TestMethod]
    public async Task KeyStore_OtherTenant_CannotSeeOrRevokeTheKey()
    {
        var masterKey = PostgreSqlTestHost.NewMasterKey();
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var host = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, masterKey, services: s => s.AddSingleton<ITenantContext, TestTenantContext>());
        var store = host.Get<IKeyStore>();
        KeyInfo key;
        using (TestTenantContext.Use(s_tenantA))
        {
            key = await store.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "tenant A key"));
        }

        using (TestTenantContext.Use(s_tenantB))
        {
            Assert.IsNull(await store.GetAsync(key.Id));
            await Assert.ThrowsExactlyAsync<Errors.UnknownKeyException>(() => store.RevokeAsync(key.Id, RevocationReason.KeyCompromise));
            Assert.IsEmpty((await store.ListAsync(new KeyQuery())).Items);
        }

        using (TestTenantContext.Use(s_tenantA))
        {
            Assert.AreEqual(KeyStatus.Active, (await store.GetAsync(key.Id))!.Status);
        }
    }

    // The rows of tenant B, found by what the caller asks for, not by what row-level security allows.
    private static string OwnedByB(string table) => table == "batch_verification_items"
        ? "requested_key_id = $2 AND $1 IS NOT NULL"
        : "tenant_id = $1 AND $2 IS NOT NULL";

    private static BatchVerificationRecord Batch(Guid tenantId, KeyId keyId) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenantId,
        Caller = "batch",
        StartedAt = DateTimeOffset.UtcNow,
        CompletedAt = DateTimeOffset.UtcNow,
        Items = [TestData.Record(tenantId, keyId), TestData.Record(tenantId, keyId)],
    };

    private static async Task<T> AsTenantAsync<T>(Guid tenantId, Func<NpgsqlConnection, Task<T>> action)
    {
        await using var connection = new NpgsqlConnection(s_database.AppConnectionString);
        await connection.OpenAsync();
        await Execute(connection, "SELECT set_config('keyinfra.tenant_id', $1, false)", tenantId.ToString());
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

    private static async Task<int> Execute(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteNonQueryAsync();
    }
}
