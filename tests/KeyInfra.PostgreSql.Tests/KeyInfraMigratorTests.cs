using KeyInfra.Storage;
using KeyInfra.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.PostgreSql.Tests;

[TestClass]
public sealed class KeyInfraMigratorTests
{
    private static readonly string[] s_migrations = ["InitialCreate", "PartitionVerificationRecords", "TenantRowLevelSecurity", "KeyChangeNotifications", "SecureDefinerFunctions", "EngineSeams", "KeyRowMacs", "MasterSecretSalt", "LogChain", "SignatureHardening", "HsmSlots", "MasterKeyRotation", "AccessControl", "Audit", "CurveStatus", "OwnerRowLevelSecurity", "Certificates", "CertificateRowMacs"];
    private static readonly string[] s_tables = ["algorithms", "curves", "public_keys", "private_keys", "master_keys", "master_secret_salts", "verification_records", "batch_verifications", "batch_verification_items", "certificate_authorities", "certificates", "certificate_serials", "revoked_certificates", "certificate_revocation_lists"];

    [TestMethod]
    public async Task MigrateAsync_EmptyDatabase_AppliesEveryMigration()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync(migrate: false);
        await using var services = database.BuildServices(database.OwnerConnectionString);
        var migrator = services.GetRequiredService<IKeyInfraMigrator>();
        var before = await migrator.GetStatusAsync();

        await migrator.MigrateAsync();

        var after = await migrator.GetStatusAsync();
        Assert.IsEmpty(before.Applied);
        CollectionAssert.AreEqual(s_migrations, before.Pending.Select(Name).ToArray());
        CollectionAssert.AreEqual(s_migrations, after.Applied.Select(Name).ToArray());
        Assert.IsEmpty(after.Pending);
        foreach (var table in s_tables)
        {
            Assert.IsTrue(await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", table), table);
        }

        Assert.AreEqual(2L, await database.AdminScalarAsync<long>("SELECT count(*) FROM algorithms WHERE name IN ('ecdsa', 'rsa')"));
    }

    [TestMethod]
    public async Task MigrateAsync_EmptyDatabase_UsesPostgreSqlTypes()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();

        Assert.AreEqual("uuid", await ColumnType(database, "public_keys", "id"));
        Assert.AreEqual("uuid", await ColumnType(database, "verification_records", "tenant_id"));
        Assert.AreEqual("jsonb", await ColumnType(database, "public_keys", "metadata"));
        Assert.AreEqual("bytea", await ColumnType(database, "public_keys", "key_data"));
        Assert.AreEqual("bytea", await ColumnType(database, "private_keys", "key_material"));
        Assert.AreEqual("timestamp with time zone", await ColumnType(database, "public_keys", "created_at"));
        Assert.AreEqual("timestamp with time zone", await ColumnType(database, "verification_records", "verified_at"));
    }

    [TestMethod]
    public async Task MigrateAsync_EmptyDatabase_CreatesTheIndexesTheQueriesUse()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();

        var active = await database.AdminScalarAsync<string>("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_public_keys_active_tenant_id_id'");
        var keyAndTime = await database.AdminScalarAsync<string>("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_verification_records_tenant_id_requested_key_id_verified_at'");
        var ring = await database.AdminScalarAsync<string>("SELECT indexdef FROM pg_indexes WHERE indexname = 'ux_public_keys_tenant_id_ring_name_ring_version'");

        StringAssert.Contains(active, "WHERE ((status)::text = 'active'::text)");
        StringAssert.Contains(keyAndTime, "(tenant_id, requested_key_id, verified_at)");
        StringAssert.Contains(ring, "UNIQUE");
    }

    [TestMethod]
    public async Task MigrateAsync_EmptyDatabase_PartitionsTheLogByMonthAhead()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();

        var kind = await database.AdminScalarAsync<char>("SELECT relkind FROM pg_class WHERE oid = 'verification_records'::regclass");
        var primaryKey = await database.AdminScalarAsync<string>("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'pk_verification_records'");
        var now = DateTime.UtcNow;
        var thisMonth = $"verification_records_p{now:yyyy_MM}";
        var inThreeMonths = $"verification_records_p{now.AddMonths(3):yyyy_MM}";

        Assert.AreEqual('p', kind);
        Assert.AreEqual("PRIMARY KEY (id, verified_at)", primaryKey);
        Assert.IsTrue(await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", thisMonth));
        Assert.IsTrue(await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", inThreeMonths));
    }

    [TestMethod]
    public async Task MigrateAsync_DownToZero_RemovesEverythingAndUpWorksAgain()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var services = database.BuildServices(database.OwnerConnectionString);
        var migrator = services.GetRequiredService<IKeyInfraMigrator>();

        await migrator.MigrateAsync("0");

        var status = await migrator.GetStatusAsync();
        Assert.IsEmpty(status.Applied);
        CollectionAssert.AreEqual(s_migrations, status.Pending.Select(Name).ToArray());
        foreach (var table in s_tables)
        {
            Assert.IsFalse(await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", table), table);
        }

        Assert.AreEqual(0L, await database.AdminScalarAsync<long>("SELECT count(*) FROM pg_proc WHERE proname LIKE 'keyinfra%'"));
        Assert.AreEqual(0L, await database.AdminScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE 'verification_records%'"));

        await migrator.MigrateAsync();
        Assert.IsEmpty((await migrator.GetStatusAsync()).Pending);
    }

    [TestMethod]
    public async Task MigrateAsync_DownAndUpThroughPartitioning_KeepsRecords()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var services = database.BuildServices(database.OwnerConnectionString);
        var migrator = services.GetRequiredService<IKeyInfraMigrator>();
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await services.GetRequiredService<IKeyRepository>().AddAsync(key);
        var oldRecord = TestData.Record(tenantId, key.Id, verifiedAt: new DateTimeOffset(2019, 3, 9, 8, 0, 0, TimeSpan.Zero));
        var newRecord = TestData.Record(tenantId, key.Id, verifiedAt: DateTimeOffset.UtcNow);
        await services.GetRequiredService<IVerificationLogRepository>().AppendAsync([oldRecord, newRecord], []);

        await migrator.MigrateAsync("InitialCreate");
        var kindDown = await database.AdminScalarAsync<char>("SELECT relkind FROM pg_class WHERE oid = 'verification_records'::regclass");
        var countDown = await database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records");
        await migrator.MigrateAsync();

        Assert.AreEqual('r', kindDown);
        Assert.AreEqual(2L, countDown);
        Assert.AreEqual(2L, await database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records"));
        Assert.AreEqual(1L, await database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records_p2019_03"));
    }

    [TestMethod]
    public async Task StartAsync_MigrateOnStartup_MigratesAnEmptyDatabase()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync(migrate: false);

        await using (var host = await PostgreSqlTestHost.StartAsync(
            database.AppConnectionString, PostgreSqlTestHost.NewMasterKey(), o => o.MigrateOnStartup = true, pg => pg.MigrationConnectionString = database.OwnerConnectionString))
        {
            var status = await host.Get<IKeyInfraMigrator>().GetStatusAsync();
            Assert.IsEmpty(status.Pending);
            Assert.HasCount(s_migrations.Length, status.Applied);
        }
    }

    [TestMethod]
    public async Task MigrateAsync_ApplicationRole_IsRefusedWithoutCreateRights()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync(migrate: false);
        await using var services = database.BuildServices(database.AppConnectionString);

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => services.GetRequiredService<IKeyInfraMigrator>().MigrateAsync());

        Assert.AreEqual("42501", error.SqlState);
    }

    private static string Name(string migrationId) => migrationId[(migrationId.IndexOf('_', StringComparison.Ordinal) + 1)..];

    private static Task<string> ColumnType(PostgreSqlTestDatabase database, string table, string column)
        => database.AdminScalarAsync<string>(
            "SELECT data_type FROM information_schema.columns WHERE table_name = $1 AND column_name = $2", table, column);
}
