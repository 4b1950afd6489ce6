using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// What row-level security does and does not hold, on the real server: a statement can switch its own tenant (so RLS is
/// no wall against injected SQL), the owner is under the policies too (FORCE), and KeyInfra refuses to start as a role the
/// policies do not hold for unless the host opts in; migrations then go through their own connection.
/// </summary>
[TestClass]
public sealed class RowLevelSecurityHardeningTests
{
    private static readonly Guid s_tenantA = Guid.CreateVersion7();
    private static readonly Guid s_tenantB = Guid.CreateVersion7();
    private static PostgreSqlTestDatabase s_database = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        s_database = await PostgreSqlTestDatabase.CreateAsync();
        await using var services = s_database.BuildServices();
        var keys = services.GetRequiredService<IKeyRepository>();
        await keys.AddAsync(TestData.Key(s_tenantA, name: "key of A", withPrivateKey: false));
        await keys.AddAsync(TestData.Key(s_tenantB, name: "key of B"));
    }

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_database?.DisposeAsync() ?? ValueTask.CompletedTask);

    [TestMethod]
    public async Task InjectedStatement_CallsSetConfig_ReadsAnotherTenant()
    {
        // Arrange: the application role, set to tenant A, as KeyInfra sets it.
        await using var connection = new NpgsqlConnection(s_database.AppConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "SELECT set_config('keyinfra.tenant_id', $1, false)", s_tenantA.ToString());

        // Act: one statement, as an injection into a WHERE clause would make it, switches the session's tenant.
        await ExecuteAsync(connection, "SELECT name FROM public_keys WHERE name = 'nothing' OR set_config('keyinfra.tenant_id', $1, false) IS NULL", s_tenantB.ToString());
        var seen = await ScalarAsync<string>(connection, "SELECT name FROM public_keys");

        // Assert: row-level security did not stop it (docs/postgresql.md says so); it stops queries that forget a filter.
        Assert.AreEqual("key of B", seen);
    }

    [TestMethod]
    [DataRow("public_keys")]
    [DataRow("private_keys")]
    [DataRow("verification_records")]
    [DataRow("batch_verifications")]
    [DataRow("batch_verification_items")]
    [DataRow("hsm_slots")]
    public async Task Tables_RowLevelSecurityForced(string table)
    {
        var forced = await s_database.AdminScalarAsync<bool>("SELECT relforcerowsecurity FROM pg_class WHERE oid = $1::regclass", table);

        Assert.IsTrue(forced, table);
    }

    [TestMethod]
    public async Task PartitionMadeByTheFunction_RowLevelSecurityForced()
    {
        await PostgreSqlTestDatabase.ExecuteAsync(s_database.OwnerConnectionString, "SELECT keyinfra_create_verification_partitions('2019-05-01', 1)");

        var forced = await s_database.AdminScalarAsync<bool>("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'verification_records_p2019_05'");
        var existingForced = await s_database.AdminScalarAsync<long>(
            "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'verification_records'::regclass AND NOT c.relforcerowsecurity");

        Assert.IsTrue(forced);
        Assert.AreEqual(0L, existingForced);
    }

    [TestMethod]
    public async Task OwnerSession_WithoutTenant_SeesAndChangesNoRow()
    {
        // Arrange: before FORCE, the owner saw and changed every tenant's rows.
        var total = await s_database.AdminScalarAsync<long>("SELECT count(*) FROM public_keys");

        // Act
        var seen = await PostgreSqlTestDatabase.ScalarAsync<long>(s_database.OwnerConnectionString, "SELECT count(*) FROM public_keys");
        await PostgreSqlTestDatabase.ExecuteAsync(s_database.OwnerConnectionString, "UPDATE public_keys SET status = 'revoked'");

        // Assert
        Assert.AreEqual(2L, total);
        Assert.AreEqual(0L, seen);
        Assert.AreEqual(0L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM public_keys WHERE status = 'revoked'"));
    }

    [TestMethod]
    public async Task DefinerFunctions_UnderForce_StillSpanTenantsForTheApplication()
    {
        // Act: the application, set to tenant A, asks which tenants hold private keys (only B does).
        await using var connection = new NpgsqlConnection(s_database.AppConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "SELECT set_config('keyinfra.tenant_id', $1, false)", s_tenantA.ToString());
        var tenants = await ScalarAsync<long>(connection, "SELECT count(*) FROM keyinfra_private_key_tenants() WHERE tenant_id = $1", s_tenantB);
        var directly = await ScalarAsync<long>(connection, "SELECT count(*) FROM private_keys");

        // Assert: the definer function reads across tenants; the application's own statement does not.
        Assert.AreEqual(1L, tenants);
        Assert.AreEqual(0L, directly);
    }

    [TestMethod]
    public async Task Start_AsTheTableOwner_IsRefusedWithKI4601()
    {
        var error = await Assert.ThrowsAsync<KeyInfraException>(() => PostgreSqlTestHost.StartAsync(s_database.OwnerConnectionString, PostgreSqlTestHost.NewMasterKey()));

        Assert.AreEqual(ErrorCodes.RowLevelSecurityBypassed, error.ErrorCode);
        StringAssert.Contains(error.Message, "keyinfra_owner");
        StringAssert.Contains(error.Message, "owns");
        StringAssert.Contains(error.Message, "MigrationConnectionString");
        Assert.DoesNotContain(PostgreSqlTestServer.Password(s_database.OwnerConnectionString), error.Message);
    }

    [TestMethod]
    public async Task Start_AsASuperuser_IsRefusedWithKI4601()
    {
        var error = await Assert.ThrowsAsync<KeyInfraException>(() => PostgreSqlTestHost.StartAsync(s_database.AdminConnectionString, PostgreSqlTestHost.NewMasterKey()));

        Assert.AreEqual(ErrorCodes.RowLevelSecurityBypassed, error.ErrorCode);
        StringAssert.Contains(error.Message, "superuser");
    }

    [TestMethod]
    [DataRow("keyinfra_owner", "may SET ROLE to their owner", DisplayName = "member of the table owner")]
    [DataRow("bypass", "may SET ROLE to a superuser or a BYPASSRLS role", DisplayName = "member of a BYPASSRLS role")]
    public async Task Start_AsARoleThatMaySetRolePastRowLevelSecurity_IsRefusedWithKI4601(string grantedRole, string reason)
    {
        // Arrange: a login role with the application's grants that is also a member of a role row-level security does
        // not hold for; set_config('role', ...) inside any statement would make it that role.
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var login = $"keyinfra_member_{suffix}";
        var password = Guid.NewGuid().ToString("N");
        if (grantedRole == "bypass")
        {
            grantedRole = $"keyinfra_bypass_{suffix}";
            await s_database.AdminExecuteAsync($"CREATE ROLE {grantedRole} NOLOGIN BYPASSRLS");
        }

        await s_database.AdminExecuteAsync($"CREATE ROLE {login} LOGIN PASSWORD '{password}' IN ROLE keyinfra_app, {grantedRole}");
        var connectionString = new NpgsqlConnectionStringBuilder(s_database.AppConnectionString) { Username = login, Password = password }.ConnectionString;

        KeyInfraException error;
        try
        {
            // Act
            error = await Assert.ThrowsAsync<KeyInfraException>(() => PostgreSqlTestHost.StartAsync(connectionString, PostgreSqlTestHost.NewMasterKey()));
        }
        finally
        {
            await s_database.AdminExecuteAsync($"DROP ROLE {login}");
            if (grantedRole.StartsWith("keyinfra_bypass_", StringComparison.Ordinal))
            {
                await s_database.AdminExecuteAsync($"DROP ROLE {grantedRole}");
            }
        }

        // Assert
        Assert.AreEqual(ErrorCodes.RowLevelSecurityBypassed, error.ErrorCode);
        StringAssert.Contains(error.Message, login);
        StringAssert.Contains(error.Message, reason);
        Assert.DoesNotContain(password, error.Message);
    }

    [TestMethod]
    public async Task Start_AsTheOwnerWithTheUnsafeOptIn_StartsAndWarns()
    {
        var logs = new LogCapture();

        await using (var host = await PostgreSqlTestHost.StartAsync(
            s_database.OwnerConnectionString,
            PostgreSqlTestHost.NewMasterKey(),
            storage: pg => pg.UnsafeAllowRowLevelSecurityBypass = true,
            logging: l => l.AddProvider(logs)))
        {
            // FORCE still holds for the owner: its tenant sees its own rows only.
            var keys = await host.Get<IKeyStore>().ListAsync(new KeyQuery());
            Assert.IsEmpty(keys.Items);
        }

        Assert.IsTrue(logs.Entries.Any(e => e.EventId.Id == 3223 && e.Text.Contains("keyinfra_owner", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Start_AsTheApplicationRoleMigratingThroughTheOwnersConnection_MigratesAndStarts()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync(migrate: false);

        await using var host = await PostgreSqlTestHost.StartAsync(
            database.AppConnectionString,
            PostgreSqlTestHost.NewMasterKey(),
            o => o.MigrateOnStartup = true,
            pg => pg.MigrationConnectionString = database.OwnerConnectionString);
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "app"));

        Assert.AreEqual("keyinfra_owner", await database.AdminScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE tablename = 'public_keys'"));
        Assert.IsEmpty((await host.Get<IKeyInfraMigrator>().GetStatusAsync()).Pending);
        Assert.AreEqual(1L, await database.AdminScalarAsync<long>("SELECT count(*) FROM public_keys WHERE id = $1", key.Id.Value));
    }

    [TestMethod]
    public async Task MigrationConnectionString_Malformed_FailsValidationWithoutEchoingIt()
    {
        const string Malformed = "Host=db;Password=hunter2-secret;=;";

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => PostgreSqlTestHost.StartAsync(
            s_database.AppConnectionString, PostgreSqlTestHost.NewMasterKey(), storage: pg => pg.MigrationConnectionString = Malformed));

        StringAssert.Contains(error.Message, "MigrationConnectionString");
        Assert.DoesNotContain("hunter2", error.Message);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return (T)(await command.ExecuteScalarAsync())!;
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
