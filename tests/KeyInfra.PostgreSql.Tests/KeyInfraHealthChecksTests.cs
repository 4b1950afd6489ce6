using KeyInfra.Certificates;
using KeyInfra.HealthChecks;
using KeyInfra.Keys;
using KeyInfra.PostgreSql.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>KeyInfra's health checks and the PostgreSQL key-change listener's, run against the real server.</summary>
[TestClass]
public sealed class KeyInfraHealthChecksTests
{
    private static readonly string s_masterKey = PostgreSqlTestHost.NewMasterKey();
    private static PostgreSqlTestDatabase s_database = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_database = await PostgreSqlTestDatabase.CreateAsync();

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_database?.DisposeAsync() ?? ValueTask.CompletedTask);

    [TestMethod]
    public async Task CheckHealth_MigratedDatabaseAndListening_EveryCheckHealthy()
    {
        await using var host = await StartAsync();
        await host.Get<KeyChangeListener>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "health"));

        var report = await host.Get<HealthCheckService>().CheckHealthAsync();

        Assert.AreEqual(HealthStatus.Healthy, report.Status, string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Value.Status} {e.Value.Description}")));
        CollectionAssert.AreEquivalent(
            new[]
            {
                KeyInfraHealthChecks.StorageName, KeyInfraHealthChecks.MasterKeyName, KeyInfraHealthChecks.VerificationLogName,
                KeyInfraHealthChecks.CertificatesName, KeyInfraPostgreSqlHealthChecksBuilderExtensions.KeyChangeListenerName,
            },
            report.Entries.Keys.ToArray());
        Assert.IsTrue(report.Entries[KeyInfraPostgreSqlHealthChecksBuilderExtensions.KeyChangeListenerName].Tags.Contains(KeyInfraHealthChecks.ReadyTag));
    }

    [TestMethod]
    public async Task KeyChangeListener_ConnectionKilled_DegradedUntilItReconnects()
    {
        // The longest reconnect delay: the listener stays disconnected while the check is read.
        await using var host = await StartAsync(pg => pg.NotificationReconnectDelay = TimeSpan.FromSeconds(30));
        var listener = host.Get<KeyChangeListener>();
        await listener.Listening.WaitAsync(TimeSpan.FromSeconds(30));
        var before = await CheckListenerAsync(host);

        var killed = await s_database.AdminScalarAsync<long>(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'");
        var after = await CheckListenerAsync(host);
        for (var i = 0; i < 200 && after.Status == HealthStatus.Healthy; i++)
        {
            // The listener notices the lost connection on its own task.
            await Task.Delay(50);
            after = await CheckListenerAsync(host);
        }

        Assert.AreEqual(1L, killed);
        Assert.AreEqual(HealthStatus.Healthy, before.Status, before.Description);
        Assert.AreEqual(HealthStatus.Degraded, after.Status, after.Description);
        StringAssert.Contains(after.Description, "Not listening");
    }

    [TestMethod]
    public async Task KeyChangeListener_ListeningTurnedOff_HealthySayingSo()
    {
        await using var host = await StartAsync(pg => pg.ListenForKeyChanges = false);

        var entry = await CheckListenerAsync(host);

        Assert.AreEqual(HealthStatus.Healthy, entry.Status);
        StringAssert.Contains(entry.Description, "ListenForKeyChanges");
    }

    [TestMethod]
    public async Task AddKeyInfrastructurePostgreSql_CalledTwice_OneCheck()
    {
        await using var host = await StartAsync(services: s => s.AddHealthChecks().AddKeyInfrastructurePostgreSql());

        var report = await host.Get<HealthCheckService>().CheckHealthAsync();

        Assert.AreEqual(5, report.Entries.Count, "four KeyInfra checks and the listener's, once");
    }

    [TestMethod]
    public async Task CertificatesCheck_ThroughRowLevelSecurity_SeesTheAuthorityAndItsCurrentCrl()
    {
        await using var host = await StartAsync();
        var authority = await host.Get<ICertificateAuthorities>().CreateRootAsync(new CreateCertificateAuthorityRequest("health-root-" + Guid.NewGuid().ToString("N")[..8], "CN=Health Root"));
        var crl = (await host.Get<ICertificateAuthorities>().GetCrlAsync(authority.Id))!;

        var entry = (await host.Get<HealthCheckService>().CheckHealthAsync(r => r.Name == KeyInfraHealthChecks.CertificatesName)).Entries[KeyInfraHealthChecks.CertificatesName];

        Assert.AreEqual(HealthStatus.Healthy, entry.Status, entry.Description);
        Assert.IsGreaterThanOrEqualTo(1, (int)entry.Data["authorities"]);
        Assert.AreEqual(0, entry.Data["stale_crls"]);
        Assert.IsLessThanOrEqualTo(crl.NextUpdate, DateTimeOffset.Parse((string)entry.Data["earliest_next_update"], System.Globalization.CultureInfo.InvariantCulture), "the earliest next update is at most this authority's");
    }

    private static Task<PostgreSqlTestHost> StartAsync(Action<PostgreSqlStorageOptions>? storage = null, Action<IServiceCollection>? services = null)
        => PostgreSqlTestHost.StartAsync(s_database.AppConnectionString, s_masterKey, storage: storage, services: s =>
        {
            s.AddHealthChecks().AddKeyInfrastructure().AddKeyInfrastructurePostgreSql();
            services?.Invoke(s);
        });

    private static async Task<HealthReportEntry> CheckListenerAsync(PostgreSqlTestHost host)
    {
        var name = KeyInfraPostgreSqlHealthChecksBuilderExtensions.KeyChangeListenerName;
        return (await host.Get<HealthCheckService>().CheckHealthAsync(r => r.Name == name)).Entries[name];
    }
}
