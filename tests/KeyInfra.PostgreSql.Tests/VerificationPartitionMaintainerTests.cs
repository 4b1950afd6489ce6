using KeyInfra.PostgreSql.Partitions;
using KeyInfra.Storage;
using KeyInfra.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

[TestClass]
public sealed class VerificationPartitionMaintainerTests
{
    [TestMethod]
    public void Options_Defaults_RetentionOffWith24MonthsAndThreePartitionsAhead()
    {
        var options = new PostgreSqlStorageOptions();

        Assert.IsFalse(options.EnableRetention);
        Assert.AreEqual(24, options.RetentionMonths);
        Assert.AreEqual(3, options.PartitionsAhead);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.RetentionMonths = 0);
    }

    [TestMethod]
    public async Task CreateAheadAsync_SixMonthsAhead_CreatesThemOnceOnly()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var services = database.BuildServices(configure: pg => pg.PartitionsAhead = 6);
        var maintainer = services.GetRequiredService<VerificationPartitionMaintainer>();

        var created = await maintainer.CreateAheadAsync();
        var again = await maintainer.CreateAheadAsync();

        // Three months past those the migration made, each for the verification records and both audit logs.
        Assert.AreEqual(3 * 3, created);
        Assert.AreEqual(0, again);
        foreach (var table in new[] { "verification_records", "control_plane_audit", "data_plane_audit" })
        {
            Assert.IsTrue(await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", $"{table}_p{DateTime.UtcNow.AddMonths(6):yyyy_MM}"), table);
        }
    }

    [TestMethod]
    public async Task DropExpiredAsync_Retention24Months_DropsOnlyMonthsPastIt()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await database.AdminExecuteAsync("GRANT EXECUTE ON FUNCTION keyinfra_drop_verification_partitions(timestamptz) TO keyinfra_app");
        await using var services = database.BuildServices(configure: pg => pg.EnableRetention = true);
        var (tenantId, keyId) = await AddKeyAsync(services);
        var now = DateTime.UtcNow;
        var expired = new DateTimeOffset(now.Year, now.Month, 15, 0, 0, 0, TimeSpan.Zero).AddMonths(-30);
        var lastExpired = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-24).AddTicks(-10);
        var kept = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-24);
        // Months this old only the owner may add (the application only appends to them).
        foreach (var month in new[] { expired, lastExpired, kept })
        {
            await PostgreSqlTestDatabase.ExecuteAsync(database.OwnerConnectionString, "SELECT keyinfra_create_verification_partitions($1, 1)", month);
        }

        await services.GetRequiredService<IVerificationLogRepository>().AppendAsync(
            [TestData.Record(tenantId, keyId, verifiedAt: expired), TestData.Record(tenantId, keyId, verifiedAt: lastExpired), TestData.Record(tenantId, keyId, verifiedAt: kept)], []);

        var dropped = await services.GetRequiredService<VerificationPartitionMaintainer>().DropExpiredAsync();

        // Each month goes for the three tables partitioned by it.
        var tables = new[] { "verification_records", "control_plane_audit", "data_plane_audit" };
        CollectionAssert.AreEquivalent(tables.SelectMany(t => new[] { $"{t}_p{expired:yyyy_MM}", $"{t}_p{lastExpired:yyyy_MM}" }).ToArray(), dropped.ToArray());
        Assert.IsTrue(await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", $"data_plane_audit_p{kept:yyyy_MM}"));
        Assert.AreEqual(1L, await database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records"));
        Assert.IsTrue(await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", $"verification_records_p{kept:yyyy_MM}"));
    }

    [TestMethod]
    public async Task DropExpiredAsync_RoleWithoutTheGrant_IsRefused()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var services = database.BuildServices(configure: pg => pg.EnableRetention = true);

        var error = await Assert.ThrowsExactlyAsync<PostgresException>(() => services.GetRequiredService<VerificationPartitionMaintainer>().DropExpiredAsync());

        Assert.AreEqual(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [TestMethod]
    public async Task DropFunction_CutoffInTheLastMonth_IsRefusedByTheDatabase()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();

        var error = await Assert.ThrowsExactlyAsync<PostgresException>(
            () => PostgreSqlTestDatabase.ExecuteAsync(database.OwnerConnectionString, "SELECT * FROM keyinfra_drop_verification_partitions(now())"));

        Assert.AreEqual("22023", error.SqlState);
    }

    [TestMethod]
    public async Task MaintenanceService_RetentionOn_DropsExpiredPartitionsInTheBackground()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await database.AdminExecuteAsync("GRANT EXECUTE ON FUNCTION keyinfra_drop_verification_partitions(timestamptz) TO keyinfra_app");
        var expiredMonth = DateTime.UtcNow.AddMonths(-40);
        var partition = $"verification_records_p{expiredMonth:yyyy_MM}";
        await PostgreSqlTestDatabase.ExecuteAsync(database.OwnerConnectionString, "SELECT keyinfra_create_verification_partitions($1, 1)", expiredMonth);
        Assert.IsTrue(await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", partition));

        await using var host = await PostgreSqlTestHost.StartAsync(
            database.AppConnectionString,
            PostgreSqlTestHost.NewMasterKey(),
            storage: pg =>
            {
                pg.EnableRetention = true;
                pg.MaintenanceInterval = TimeSpan.FromSeconds(1);
            });

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", partition))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The maintenance service did not drop the expired partition within 30 seconds.");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<(Guid TenantId, KeyInfra.Keys.KeyId KeyId)> AddKeyAsync(IServiceProvider services)
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await services.GetRequiredService<IKeyRepository>().AddAsync(key);
        return (tenantId, key.Id);
    }
}
