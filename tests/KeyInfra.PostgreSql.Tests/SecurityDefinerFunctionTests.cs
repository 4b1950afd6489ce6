using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// The SECURITY DEFINER functions run as the owner: no role may redirect what they call or read, and only the roles
/// granted the tables may call them.
/// </summary>
[TestClass]
public sealed class SecurityDefinerFunctionTests
{
    [TestMethod]
    public async Task CreatePartitions_CallerDefinedFormatInPublic_IsNotCalled()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        // PostgreSQL 14 and older let every role create in public; 15 needs the grant.
        await database.AdminExecuteAsync("GRANT CREATE ON SCHEMA public TO keyinfra_app");
        await PostgreSqlTestDatabase.ExecuteAsync(
            database.AppConnectionString,
            "CREATE FUNCTION public.format(text, text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hijacked as %', current_user; END $$");
        var month = MonthStart(-2);

        var created = await PostgreSqlTestDatabase.ScalarAsync<int>(database.AppConnectionString, "SELECT keyinfra_create_verification_partitions($1, 1)", month);

        // The month's partition of each table partitioned by month: the verification records and both audit logs.
        Assert.AreEqual(3, created);
        foreach (var table in new[] { "verification_records", "control_plane_audit", "data_plane_audit" })
        {
            Assert.IsTrue(await database.AdminScalarAsync<bool>("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = to_regclass($1)", $"{table}_p{month:yyyy_MM}"), table);
        }
    }

    [TestMethod]
    public async Task MasterKeyIdsInUse_TemporaryTableNamedPrivateKeys_DoesNotShadowTheTable()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var connection = new NpgsqlConnection(database.AppConnectionString);
        await connection.OpenAsync();
        await using (var shadow = new NpgsqlCommand(
            "CREATE TEMP TABLE private_keys (tenant_id uuid, master_key_id text); INSERT INTO private_keys VALUES (gen_random_uuid(), 'planted')", connection))
        {
            await shadow.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand("SELECT count(*) FROM keyinfra_master_key_ids_in_use()", connection);
        var count = (long)(await command.ExecuteScalarAsync())!;

        Assert.AreEqual(0L, count);
    }

    [TestMethod]
    public async Task DropPartitions_TemporaryTableNamedVerificationRecords_DropsOnlyRealPartitions()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var expiredMonth = MonthStart(-40);
        await PostgreSqlTestDatabase.ExecuteAsync(database.OwnerConnectionString, "SELECT keyinfra_create_verification_partitions($1, 1)", expiredMonth);
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();
        await using (var shadow = new NpgsqlCommand("CREATE TEMP TABLE verification_records (id uuid)", connection))
        {
            await shadow.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand("SELECT partition_name FROM keyinfra_drop_verification_partitions($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = MonthStart(-24) });
        var dropped = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                dropped.Add(reader.GetString(0));
            }
        }

        CollectionAssert.AreEquivalent(new[] { $"verification_records_p{expiredMonth:yyyy_MM}", $"control_plane_audit_p{expiredMonth:yyyy_MM}", $"data_plane_audit_p{expiredMonth:yyyy_MM}" }, dropped);
        foreach (var name in dropped)
        {
            Assert.IsFalse(await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", name));
        }
    }

    [TestMethod]
    [DataRow("SELECT count(*) FROM keyinfra_master_key_ids_in_use()")]
    [DataRow("SELECT count(*) FROM keyinfra_private_key_tenants()")]
    [DataRow("SELECT keyinfra_create_verification_partitions(now(), 1)")]
    public async Task Functions_RoleWithoutTheGrant_IsRefused(string sql)
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var role = "keyinfra_other_" + Guid.NewGuid().ToString("N")[..8];
        await database.AdminExecuteAsync($"CREATE ROLE {role} NOLOGIN");
        try
        {
            await using var connection = new NpgsqlConnection(database.AdminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SET ROLE {role}; {sql}", connection);

            var error = await Assert.ThrowsExactlyAsync<PostgresException>(() => command.ExecuteScalarAsync());

            Assert.AreEqual("42501", error.SqlState);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await database.AdminExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [TestMethod]
    [DataRow("SELECT count(*)::int FROM keyinfra_master_key_ids_in_use()")]
    [DataRow("SELECT count(*)::int FROM keyinfra_private_key_tenants()")]
    [DataRow("SELECT keyinfra_create_verification_partitions(now(), 1)")]
    public async Task Functions_ApplicationRole_MayCallThem(string sql)
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();

        var result = await PostgreSqlTestDatabase.ScalarAsync<int>(database.AppConnectionString, sql);

        Assert.AreEqual(0, result);
    }

    [TestMethod]
    [DataRow(-3)]
    [DataRow(26)]
    public async Task CreatePartitions_ApplicationRoleOutsideTheWindow_IsRefused(int months)
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();

        var error = await Assert.ThrowsExactlyAsync<PostgresException>(
            () => PostgreSqlTestDatabase.ExecuteAsync(database.AppConnectionString, "SELECT keyinfra_create_verification_partitions($1, 1)", MonthStart(months)));

        Assert.AreEqual("22023", error.SqlState);
        Assert.IsFalse(await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", $"verification_records_p{MonthStart(months):yyyy_MM}"));
    }

    [TestMethod]
    public async Task Migrations_DownPastSecureDefinerFunctionsAndUpAgain_KeepTheFunctionsWorking()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var owner = database.BuildServices(database.OwnerConnectionString);
        var migrator = owner.GetRequiredService<IKeyInfraMigrator>();

        await migrator.MigrateAsync("KeyChangeNotifications");
        var configDown = await database.AdminScalarAsync<string>("SELECT array_to_string(proconfig, ',') FROM pg_proc WHERE proname = 'keyinfra_private_key_tenants'");
        await migrator.MigrateAsync();
        var configUp = await database.AdminScalarAsync<string>("SELECT array_to_string(proconfig, ',') FROM pg_proc WHERE proname = 'keyinfra_private_key_tenants'");

        Assert.DoesNotContain("pg_temp", configDown);
        Assert.AreEqual("search_path=pg_catalog, pg_temp", configUp);
        Assert.AreEqual(0, await PostgreSqlTestDatabase.ScalarAsync<int>(database.AppConnectionString, "SELECT count(*)::int FROM keyinfra_private_key_tenants()"));
    }

    private static DateTime MonthStart(int monthsFromNow)
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(monthsFromNow);
    }
}
