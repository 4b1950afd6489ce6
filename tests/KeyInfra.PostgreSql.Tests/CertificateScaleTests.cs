using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Authorization;
using KeyInfra.Certificates;
using KeyInfra.Tests.Conformance;
using Npgsql;
using static KeyInfra.Tests.Conformance.AccessControlHosts;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// The seed plan's scale on PostgreSQL: 1,000 certificates for 100 users, issued through the engine. The expiring-soon
/// query and a user's listing are served by their indexes (the query plan is read, as the application role under
/// row-level security), the SQL function agrees with the API, and retention drops whole partitions past 24 months.
/// </summary>
[TestClass]
public sealed class CertificateScaleTests
{
    private const int Users = 100;
    private const int PerUser = 10;

    private static PostgreSqlConformanceStorage s_storage = null!;
    private static TestHost s_host = null!;
    private static Caller s_admin = null!;
    private static List<Caller> s_users = null!;
    private static CertificateAuthorityInfo s_authority = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        s_storage = await PostgreSqlConformanceStorage.CreateAsync();
        s_host = await AccessControlHosts.StartAsync(s_storage, TestHost.NewMasterKey(), o => o.Audit.ControlPlane = KeyInfra.Verification.LogMode.Buffered);
        s_admin = await NewUserAsync(s_host, "scale-admin", KeyInfraRoles.Admin);
        s_users = [];
        for (var i = 0; i < Users; i++)
        {
            s_users.Add(await NewUserAsync(s_host, $"device-owner-{i}"));
        }

        using var scope = Callers(s_host).Use(s_admin);
        s_authority = await s_host.Get<ICertificateAuthorities>().CreateRootAsync(new CreateCertificateAuthorityRequest(Unique("scale-ca"), "CN=Scale CA"));
        var store = s_host.Get<ICertificateStore>();
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        for (var u = 0; u < Users; u++)
        {
            for (var c = 0; c < PerUser; c++)
            {
                // Expiries spread over the next 13 months, so they land in many partitions.
                var name = $"d{u}-{c}.example.net";
                var csr = new CertificateRequest($"CN={name}", deviceKey, HashAlgorithmName.SHA256);
                var names = new SubjectAlternativeNameBuilder();
                names.AddDnsName(name);
                csr.CertificateExtensions.Add(names.Build());
                await store.IssueAsync(new IssueCertificateRequest(s_authority.Id)
                {
                    SigningRequest = csr.CreateSigningRequest(),
                    Owner = s_users[u].StableId,
                    Validity = TimeSpan.FromDays(1 + ((u * PerUser + c) * 37 % 396)),
                });
            }
        }

        await s_storage.Database.AdminExecuteAsync("ANALYZE certificates");
    }

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        await (s_host?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [TestMethod]
    public async Task TheThousandCertificates_AreSpreadOverMonthlyPartitions()
    {
        Assert.AreEqual((long)(Users * PerUser), await s_storage.Database.AdminScalarAsync<long>("SELECT count(*) FROM certificates"));
        var partitions = await s_storage.Database.AdminScalarAsync<long>(
            "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'certificates'::regclass AND c.relname LIKE 'certificates_p%'");
        Assert.IsGreaterThanOrEqualTo(13L, partitions);
        Assert.AreEqual(0L, await s_storage.Database.AdminScalarAsync<long>("SELECT count(*) FROM ONLY certificates"), "no row lives in the parent");
    }

    [TestMethod]
    public async Task ExpiringWithinSevenDays_ThePlanPrunesToTheWindowsPartitions_AndThePartialIndexServesIt()
    {
        const string Query = """
            SELECT * FROM certificates
            WHERE tenant_id = $1 AND status = 'active' AND not_after > now() AND not_after <= now() + interval '7 days'
            ORDER BY not_after, id LIMIT 1000
            """;
        var plan = await AsApplicationAsync(null, c => ExplainAsync(c, Query, Guid.Empty));

        // Of the 13+ monthly partitions only the window's (one or two months) are read: the rest are pruned.
        Assert.IsLessThanOrEqualTo(2, Partitions(plan).Count, plan);

        // At 1,000 rows a window's partition holds about 80, and PostgreSQL rightly reads so few rows sequentially; with
        // sequential scans priced out, the plan shows the partial index on (tenant_id, not_after) WHERE active serves the
        // query's predicate and order — what it uses once partitions hold more rows than a page or two.
        var indexed = await AsApplicationAsync(null, async c =>
        {
            await ExecuteAsync(c, "SET enable_seqscan = off");
            return await ExplainAsync(c, Query, Guid.Empty);
        });
        StringAssert.Contains(indexed, "tenant_id_not_after_idx", indexed);
        Assert.IsFalse(indexed.Contains("Seq Scan", StringComparison.Ordinal), indexed);
    }

    [TestMethod]
    public async Task AUsersListing_IsServedByTheOwnerIndex_AndRowLevelSecurityShowsOnlyTheirs()
    {
        var owner = s_users[42].StableId;
        var plan = await AsApplicationAsync([owner], c => ExplainAsync(c, "SELECT * FROM certificates WHERE tenant_id = $1 AND owner = $2 ORDER BY id LIMIT 100", Guid.Empty, owner));
        var visible = await AsApplicationAsync([owner], c => ScalarAsync<long>(c, "SELECT count(*) FROM certificates"));

        // A listing spans every month, so every partition is read: each that holds a real share of the thousand (50 or
        // more) through its (tenant_id, owner, id) index. A month with a handful of rows, or none yet, is rightly read
        // sequentially (one page), and the retention test's hand-made rows in past months are not part of the thousand.
        var indexed = System.Text.RegularExpressions.Regex.Matches(plan, @"Index Scan using (certificates_p\d{4}_\d{2})_tenant_id_owner_id_idx").Select(m => m.Groups[1].Value).ToHashSet();
        var holding = await s_storage.Database.AdminScalarAsync<string>("SELECT string_agg(p, ',') FROM (SELECT tableoid::regclass::text AS p FROM certificates WHERE not_after > now() GROUP BY 1 HAVING count(*) >= 50) holding");
        foreach (var partition in holding.Split(','))
        {
            Assert.Contains(partition, indexed, partition + " in " + plan);
        }

        Assert.AreEqual((long)PerUser, visible, "the owner scope hides every other owner's rows, whatever the query asks");
    }

    private static List<string> Partitions(string plan)
        => [.. System.Text.RegularExpressions.Regex.Matches(plan, @" on (certificates_p\d{4}_\d{2})").Select(m => m.Groups[1].Value).Distinct()];

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [TestMethod]
    public async Task TheSqlFunction_AgreesWithTheApi()
    {
        IReadOnlyList<CertificateInfo> api;
        using (Callers(s_host).Use(s_admin))
        {
            api = await s_host.Get<ICertificateStore>().ListExpiringAsync(TimeSpan.FromDays(7));
        }

        var sql = await AsApplicationAsync(null, c => ScalarAsync<long>(c, "SELECT count(*) FROM keyinfra_certificates_expiring()"));
        var thirty = await AsApplicationAsync(null, c => ScalarAsync<long>(c, "SELECT count(*) FROM keyinfra_certificates_expiring(30)"));

        Assert.IsNotEmpty(api);
        Assert.AreEqual((long)api.Count, sql);
        Assert.IsGreaterThan(sql, thirty);
        Assert.AreEqual(0L, await AsApplicationAsync(null, c => ScalarAsync<long>(c, "SELECT count(*) FROM keyinfra_certificates_expiring()"), tenant: Guid.NewGuid()), "another tenant sees none");
    }

    [TestMethod]
    public async Task Retention_DropsPartitionsPast24Months_KeepsYoungerOnes_AndTheSerials()
    {
        var now = DateTime.UtcNow;
        var old = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-30);
        var recent = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-12);
        var database = s_storage.Database;
        await database.AdminExecuteAsync("SELECT keyinfra_create_certificate_partitions($1, 1)", old);
        await database.AdminExecuteAsync("SELECT keyinfra_create_certificate_partitions($1, 1)", recent);
        var template = await database.AdminScalarAsync<Guid>("SELECT id FROM certificates ORDER BY id LIMIT 1");
        foreach (var (month, serial) in new[] { (old, "0aa0"), (recent, "0bb0") })
        {
            var id = Guid.CreateVersion7();
            await database.AdminExecuteAsync(
                "INSERT INTO certificate_serials (tenant_id, authority_id, serial_number, certificate_id) SELECT tenant_id, authority_id, $2, $3 FROM certificates WHERE id = $1",
                template, serial, id);
            await database.AdminExecuteAsync(
                "INSERT INTO certificates SELECT $3, tenant_id, authority_id, $2, owner, subject, subject_alternative_names, not_before, $4, status, version, previous_id, renewed_at, renewed_by, renewed_by_id, profile_name, key_id, der, created_at FROM certificates WHERE id = $1",
                template, serial, id, month.AddDays(3));
        }

        // The application role may not drop partitions until the DBA grants the function to the role running retention.
        int removed;
        using (Callers(s_host).Use(Caller.ForSystem("retention")))
        {
            await Assert.ThrowsAsync<PostgresException>(() => s_host.Get<ICertificateMaintenance>().RemoveExpiredAsync());
            await database.AdminExecuteAsync("GRANT EXECUTE ON FUNCTION keyinfra_drop_certificate_partitions(timestamptz) TO keyinfra_app");
            removed = await s_host.Get<ICertificateMaintenance>().RemoveExpiredAsync();
        }

        Assert.AreEqual(1, removed);
        Assert.IsFalse(await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", "certificates_p" + old.ToString("yyyy_MM", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.IsTrue(await database.AdminScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", "certificates_p" + recent.ToString("yyyy_MM", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.AreEqual(1L, await database.AdminScalarAsync<long>("SELECT count(*) FROM certificate_serials WHERE serial_number = '0aa0'"), "a serial is never reused");

        // Whatever cut-off the caller passes, the function keeps the last 24 months.
        var kept = await database.AdminScalarAsync<long>("SELECT count(*) FROM keyinfra_drop_certificate_partitions(now() + interval '10 years')");
        Assert.AreEqual(0L, kept);
    }

    private static async Task<T> AsApplicationAsync<T>(string[]? owners, Func<NpgsqlConnection, Task<T>> action, Guid? tenant = null)
    {
        await using var connection = await s_storage.Database.OpenAsApplicationAsync(tenant ?? Guid.Empty, owners);
        return await action(connection);
    }

    private static async Task<string> ExplainAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand("EXPLAIN (COSTS OFF) " + sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
