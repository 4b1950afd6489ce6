using System.Security.Cryptography;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// <c>hsm_slots</c> under row-level security on the real server, as raw SQL through the application role: a slot of
/// tenant B is invisible to, and cannot be changed by, a connection set to tenant A; the owner is under the policy too;
/// the cross-tenant functions answer without showing rows; and the migration grants the application role what it needs.
/// </summary>
[TestClass]
public sealed class HsmSlotRowLevelSecurityTests
{
    private static readonly Guid s_tenantA = Guid.CreateVersion7();
    private static readonly Guid s_tenantB = Guid.CreateVersion7();
    private static PostgreSqlTestDatabase s_database = null!;
    private static HsmSlotRecord s_slotA = null!;
    private static HsmSlotRecord s_slotB = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        s_database = await PostgreSqlTestDatabase.CreateAsync();
        await using var services = s_database.BuildServices();
        var hsm = services.GetRequiredService<IHsmRepository>();
        var module = new HsmModuleRecord(Guid.CreateVersion7(), "softhsm", "/usr/lib/softhsm/libsofthsm2.so", DateTimeOffset.UtcNow);
        await hsm.AddModuleAsync(module);
        s_slotA = new HsmSlotRecord(Guid.CreateVersion7(), s_tenantA, "slot of A", module.Id, "token-a", null, RandomNumberGenerator.GetBytes(80), "mk-a", DateTimeOffset.UtcNow);
        s_slotB = new HsmSlotRecord(Guid.CreateVersion7(), s_tenantB, "slot of B", module.Id, "token-b", null, RandomNumberGenerator.GetBytes(80), "mk-b", DateTimeOffset.UtcNow);
        await hsm.AddSlotAsync(s_slotA);
        await hsm.AddSlotAsync(s_slotB);
    }

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_database?.DisposeAsync() ?? ValueTask.CompletedTask);

    [TestMethod]
    public async Task HsmSlots_RowLevelSecurityEnabledAndForced_HsmModulesGlobal()
    {
        Assert.IsTrue(await s_database.AdminScalarAsync<bool>("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'hsm_slots'::regclass"));
        Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM pg_policies WHERE tablename = 'hsm_slots' AND policyname = 'tenant_isolation'"));
        Assert.IsFalse(await s_database.AdminScalarAsync<bool>("SELECT relrowsecurity FROM pg_class WHERE oid = 'hsm_modules'::regclass"));
    }

    [TestMethod]
    public async Task RawSelect_AsTenantA_SeesOnlyTheSlotOfA()
    {
        var visible = await AsTenantAsync(s_tenantA, c => Scalar<long>(c, "SELECT count(*) FROM hsm_slots"));
        var visibleOfB = await AsTenantAsync(s_tenantA, c => Scalar<long>(c, "SELECT count(*) FROM hsm_slots WHERE id = $1", s_slotB.Id));

        Assert.AreEqual(2L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM hsm_slots"));
        Assert.AreEqual(1L, visible);
        Assert.AreEqual(0L, visibleOfB);
    }

    [TestMethod]
    public async Task RawSelect_WithoutTenantSetting_SeesNoSlot()
    {
        await using var connection = new NpgsqlConnection(s_database.AppConnectionString);
        await connection.OpenAsync();

        Assert.AreEqual(0L, await Scalar<long>(connection, "SELECT count(*) FROM hsm_slots"));
    }

    [TestMethod]
    public async Task RawUpdateAndDelete_OfTenantBSlot_ChangeNothing()
    {
        var updated = await AsTenantAsync(s_tenantA, c => Execute(c, "UPDATE hsm_slots SET encrypted_pin = $1, token_label = 'attacker' WHERE tenant_id = $2", new byte[] { 1 }, s_tenantB));
        var deleted = await AsTenantAsync(s_tenantA, c => Execute(c, "DELETE FROM hsm_slots WHERE tenant_id = $1", s_tenantB));

        Assert.AreEqual(0, updated);
        Assert.AreEqual(0, deleted);
        Assert.AreEqual("token-b", await s_database.AdminScalarAsync<string>("SELECT token_label FROM hsm_slots WHERE id = $1", s_slotB.Id));
        CollectionAssert.AreEqual(s_slotB.EncryptedPin, await s_database.AdminScalarAsync<byte[]>("SELECT encrypted_pin FROM hsm_slots WHERE id = $1", s_slotB.Id));
    }

    [TestMethod]
    public async Task RawInsertOrMove_IntoTenantB_IsRefused()
    {
        var insert = await Assert.ThrowsExactlyAsync<PostgresException>(() => AsTenantAsync(s_tenantA, c => Execute(c,
            "INSERT INTO hsm_slots (id, tenant_id, name, module_id, token_label, encrypted_pin, master_key_id, created_at, updated_at) SELECT gen_random_uuid(), $1, 'planted', module_id, 'x', '\\x01', 'mk', now(), now() FROM hsm_slots LIMIT 1",
            s_tenantB)));
        var move = await Assert.ThrowsExactlyAsync<PostgresException>(() => AsTenantAsync(s_tenantA, c => Execute(c, "UPDATE hsm_slots SET tenant_id = $1 WHERE id = $2", s_tenantB, s_slotA.Id)));

        Assert.AreEqual(PostgresErrorCodes.InsufficientPrivilege, insert.SqlState);
        Assert.AreEqual(PostgresErrorCodes.InsufficientPrivilege, move.SqlState);
        Assert.AreEqual(s_tenantA, await s_database.AdminScalarAsync<Guid>("SELECT tenant_id FROM hsm_slots WHERE id = $1", s_slotA.Id));
    }

    [TestMethod]
    public async Task OwnerSession_WithoutTenant_SeesNoSlot()
    {
        var seen = await PostgreSqlTestDatabase.ScalarAsync<long>(s_database.OwnerConnectionString, "SELECT count(*) FROM hsm_slots");

        Assert.AreEqual(0L, seen);
    }

    [TestMethod]
    public async Task DefinerFunctions_AsTenantA_AnswerAcrossTenantsWithoutShowingRows()
    {
        var tenants = await AsTenantAsync(s_tenantA, c => Scalar<long>(c, "SELECT count(*) FROM keyinfra_hsm_slot_tenants() WHERE tenant_id IN ($1, $2)", s_tenantA, s_tenantB));
        var inUse = await AsTenantAsync(s_tenantA, c => Scalar<bool>(c, "SELECT keyinfra_hsm_module_in_use($1)", s_slotB.ModuleId));
        var unused = await AsTenantAsync(s_tenantA, c => Scalar<bool>(c, "SELECT keyinfra_hsm_module_in_use($1)", Guid.CreateVersion7()));
        var masterKeys = await AsTenantAsync(s_tenantA, c => Scalar<long>(c, "SELECT count(*) FROM keyinfra_master_key_ids_in_use() WHERE master_key_id IN ('mk-a', 'mk-b')"));

        Assert.AreEqual(2L, tenants);
        Assert.IsTrue(inUse);
        Assert.IsFalse(unused);
        Assert.AreEqual(2L, masterKeys);
    }

    [TestMethod]
    [DataRow("keyinfra_hsm_slot_tenants()")]
    [DataRow("keyinfra_hsm_module_in_use(uuid)")]
    public async Task DefinerFunctions_NotExecutableByPublic_ExecutableByTheApplication(string function)
    {
        var byPublic = await s_database.AdminScalarAsync<long>(
            "SELECT count(*) FROM pg_proc p, LATERAL aclexplode(p.proacl) a WHERE p.oid = $1::regprocedure AND a.grantee = 0", function);
        var byApplication = await s_database.AdminScalarAsync<bool>("SELECT has_function_privilege('keyinfra_app', $1, 'EXECUTE')", function);
        var config = await s_database.AdminScalarAsync<string>("SELECT array_to_string(proconfig, ',') FROM pg_proc WHERE oid = $1::regprocedure", function);
        var definer = await s_database.AdminScalarAsync<bool>("SELECT prosecdef FROM pg_proc WHERE oid = $1::regprocedure", function);

        Assert.AreEqual(0L, byPublic);
        Assert.IsTrue(byApplication);
        Assert.AreEqual("search_path=pg_catalog, pg_temp", config);
        Assert.IsTrue(definer);
    }

    [TestMethod]
    public async Task Migration_WithoutDefaultPrivileges_GrantsTheApplicationRoleTheHsmTables()
    {
        // Arrange: a database whose application role was granted the tables one by one (no default privileges left
        // when HsmSlots runs), as a DBA may do.
        await using var database = await PostgreSqlTestDatabase.CreateAsync(migrate: false);
        await using (var owner = database.BuildServices(database.OwnerConnectionString))
        {
            var migrator = owner.GetRequiredService<IKeyInfraMigrator>();
            var pending = (await migrator.GetStatusAsync()).Pending;
            await migrator.MigrateAsync(pending[pending.ToList().FindIndex(m => m.EndsWith("_HsmSlots", StringComparison.Ordinal)) - 1]);
            await PostgreSqlTestDatabase.ExecuteAsync(database.OwnerConnectionString,
                "ALTER DEFAULT PRIVILEGES FOR ROLE keyinfra_owner IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM keyinfra_app");

            // Act
            await migrator.MigrateAsync();
        }

        // Assert
        foreach (var privilege in new[] { "SELECT", "INSERT", "UPDATE", "DELETE" })
        {
            Assert.IsTrue(await database.AdminScalarAsync<bool>("SELECT has_table_privilege('keyinfra_app', 'hsm_slots', $1)", privilege), privilege);
        }

        foreach (var privilege in new[] { "SELECT", "INSERT", "DELETE" })
        {
            Assert.IsTrue(await database.AdminScalarAsync<bool>("SELECT has_table_privilege('keyinfra_app', 'hsm_modules', $1)", privilege), privilege);
        }

        Assert.IsTrue(await database.AdminScalarAsync<bool>("SELECT has_function_privilege('keyinfra_app', 'keyinfra_hsm_slot_tenants()', 'EXECUTE')"));
    }

    private static async Task<T> AsTenantAsync<T>(Guid tenantId, Func<NpgsqlConnection, Task<T>> action)
    {
        await using var connection = new NpgsqlConnection(s_database.AppConnectionString);
        await connection.OpenAsync();
        await Execute(connection, "SELECT set_config('keyinfra.tenant_id', $1, false)", tenantId.ToString());
        return await action(connection);
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> Execute(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }
}
