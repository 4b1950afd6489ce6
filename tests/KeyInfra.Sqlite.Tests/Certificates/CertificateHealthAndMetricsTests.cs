using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Authorization;
using KeyInfra.Certificates;
using KeyInfra.Diagnostics;
using KeyInfra.HealthChecks;
using KeyInfra.Sqlite.Tests.Engine;
using KeyInfra.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using static KeyInfra.Tests.Conformance.AccessControlHosts;

namespace KeyInfra.Sqlite.Tests.Certificates;

/// <summary>The certificates health check and instruments, on a database of their own and a clock the test moves.</summary>
[TestClass]
public sealed class CertificateHealthAndMetricsTests
{
    [TestMethod]
    public async Task TheCheck_IsHealthyWhileCrlsAreCurrent_FailsOnceOneIsPastItsNextUpdateOrDeleted_AndRecoversWhenPublished()
    {
        await using var fixture = await Fixture.StartAsync("health");
        var (clock, storage, host) = (fixture.Clock, fixture.Storage, fixture.Host);
        using var scope = Callers(host).Use(await NewUserAsync(host, "admin", KeyInfraRoles.Admin));
        var authorities = host.Get<ICertificateAuthorities>();
        var empty = await CheckAsync(host);
        var root = await authorities.CreateRootAsync(new CreateCertificateAuthorityRequest("root", "CN=Health Root"));
        var devices = await authorities.CreateIntermediateAsync(root.Id, new CreateCertificateAuthorityRequest("devices", "CN=Health Devices"));

        var current = await CheckAsync(host);
        clock.Advance(new CertificateOptions().CrlValidity + TimeSpan.FromMinutes(1));
        var stale = await CheckAsync(host);
        await authorities.PublishCrlAsync(root.Id);
        await authorities.PublishCrlAsync(devices.Id);
        var republished = await CheckAsync(host);
        Assert.AreEqual(1, await storage.TamperAsync("DELETE FROM certificate_revocation_lists WHERE authority_id = $1 AND number = (SELECT max(number) FROM certificate_revocation_lists WHERE authority_id = $1)", devices.Id));
        var deleted = await CheckAsync(host);

        Assert.AreEqual(HealthStatus.Healthy, empty.Status, empty.Description);
        Assert.AreEqual(HealthStatus.Healthy, current.Status, current.Description);
        Assert.AreEqual(2, current.Data["authorities"]);
        Assert.AreEqual(HealthStatus.Unhealthy, stale.Status);
        Assert.AreEqual(2, stale.Data["stale_crls"]);
        StringAssert.Contains(stale.Description, root.Id.ToString());
        Assert.AreEqual(HealthStatus.Healthy, republished.Status, republished.Description);
        Assert.AreEqual(HealthStatus.Unhealthy, deleted.Status);
        Assert.AreEqual(1, deleted.Data["unreadable_authorities"]);
        StringAssert.Contains(deleted.Description, devices.Id.ToString());
        CollectionAssert.Contains(current.Tags.ToArray(), KeyInfraHealthChecks.Tag);
        CollectionAssert.DoesNotContain(current.Tags.ToArray(), KeyInfraHealthChecks.ReadyTag, "a stale CRL is an operator's to fix: it does not take the instance out of service");
    }

    [TestMethod]
    public async Task ACrlsDates_ComeFromItsSignedDer_NotFromTheColumnsBesideIt()
    {
        await using var fixture = await Fixture.StartAsync("dates");
        var (clock, storage, host) = (fixture.Clock, fixture.Storage, fixture.Host);
        using var scope = Callers(host).Use(await NewUserAsync(host, "admin", KeyInfraRoles.Admin));
        var authorities = host.Get<ICertificateAuthorities>();
        var root = await authorities.CreateRootAsync(new CreateCertificateAuthorityRequest("root", "CN=Dates Root"));
        var signed = (await authorities.GetCrlAsync(root.Id))!;

        Assert.AreEqual(1, await storage.TamperAsync("UPDATE certificate_revocation_lists SET this_update = $2, next_update = $3 WHERE authority_id = $1",
            root.Id, signed.ThisUpdate.AddDays(-30), signed.NextUpdate.AddYears(5)));
        var read = (await authorities.GetCrlAsync(root.Id))!;
        clock.Advance(new CertificateOptions().CrlValidity + TimeSpan.FromMinutes(1));
        var check = await CheckAsync(host);

        Assert.AreEqual(signed.ThisUpdate, read.ThisUpdate);
        Assert.AreEqual(signed.NextUpdate, read.NextUpdate);
        Assert.AreEqual(HealthStatus.Unhealthy, check.Status, "a moved next_update column does not hide a stale CRL");
    }

    [TestMethod]
    public async Task APassThatCouldNotListTheAuthorities_LeavesTheCheckDegraded_AndCountsAFailure()
    {
        await using var fixture = await Fixture.StartAsync("pass");
        var (storage, host) = (fixture.Storage, fixture.Host);
        using var failures = new MetricCollector<long>(host.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, KeyInfraInstruments.CertificateMaintenanceFailures);
        using (Callers(host).Use(await NewUserAsync(host, "admin", KeyInfraRoles.Admin)))
        {
            await host.Get<ICertificateAuthorities>().CreateRootAsync(new CreateCertificateAuthorityRequest("root", "CN=Pass Root"));
        }

        // The table is away while the pass runs (storage failing), and back for the check.
        await storage.TamperAsync("ALTER TABLE certificate_authorities RENAME TO certificate_authorities_away");
        using (Callers(host).Use(Caller.ForSystem("schedule")))
        {
            await Assert.ThrowsAsync<Exception>(() => host.Get<ICertificateMaintenance>().PublishDueCrlsAsync());
        }

        await storage.TamperAsync("ALTER TABLE certificate_authorities_away RENAME TO certificate_authorities");
        var check = await CheckAsync(host);

        Assert.AreEqual(HealthStatus.Degraded, check.Status, check.Description);
        Assert.AreEqual(-1, check.Data["last_pass_failed"]);
        StringAssert.Contains(check.Description, "could not list the authorities");
        Assert.AreEqual("crl", failures.GetMeasurementSnapshot().Single().Tags[KeyInfraInstruments.CertificateMaintenanceStepTag]);
    }

    [TestMethod]
    public async Task TheInstruments_CountIssuedRenewedRevokedPublishedAndRetired()
    {
        await using var fixture = await Fixture.StartAsync("metrics");
        var (clock, host) = (fixture.Clock, fixture.Host);
        var meters = host.Get<IMeterFactory>();
        using var issued = new MetricCollector<long>(meters, KeyInfraInstruments.MeterName, KeyInfraInstruments.CertificatesIssued);
        using var revoked = new MetricCollector<long>(meters, KeyInfraInstruments.MeterName, KeyInfraInstruments.CertificatesRevoked);
        using var crls = new MetricCollector<long>(meters, KeyInfraInstruments.MeterName, KeyInfraInstruments.CertificateCrlsPublished);
        using var retired = new MetricCollector<long>(meters, KeyInfraInstruments.MeterName, KeyInfraInstruments.CertificatesRetired);
        using (Callers(host).Use(await NewUserAsync(host, "admin", KeyInfraRoles.Admin)))
        {
            var authority = await host.Get<ICertificateAuthorities>().CreateRootAsync(new CreateCertificateAuthorityRequest("root", "CN=Metrics Root"));
            var store = host.Get<ICertificateStore>();
            var first = await store.IssueAsync(new IssueCertificateRequest(authority.Id) { SigningRequest = DeviceSigningRequests.For("a.example.net") });
            await store.IssueAsync(new IssueCertificateRequest(authority.Id) { SigningRequest = DeviceSigningRequests.For("b.example.net") });
            var renewed = await store.RenewAsync(first.Id);
            await store.RevokeAsync(renewed.Id, X509RevocationReason.KeyCompromise);
        }

        clock.Advance(TimeSpan.FromDays(1250));
        using (Callers(host).Use(Caller.ForSystem("retention")))
        {
            await host.Get<ICertificateMaintenance>().RemoveExpiredAsync();
        }

        var byOperation = issued.GetMeasurementSnapshot().GroupBy(m => (string)m.Tags[KeyInfraInstruments.CertificateOperationTag]!).ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.AreEqual(2, byOperation["issue"]);
        Assert.AreEqual(1, byOperation["renew"]);
        var revocation = revoked.GetMeasurementSnapshot().Single();
        Assert.AreEqual("key_compromise", revocation.Tags[KeyInfraInstruments.CertificateRevocationReasonTag]);
        Assert.AreEqual(2, crls.GetMeasurementSnapshot().Sum(m => m.Value), "the authority's first CRL and the one after the revocation");
        Assert.AreEqual(3, retired.GetMeasurementSnapshot().Sum(m => m.Value), "all three certificates expired more than 24 months ago");
    }

    /// <summary>A database of its own, a clock the test moves, and a host with access control and the health checks.</summary>
    private sealed class Fixture(ManualTimeProvider clock, SqliteConformanceStorage storage, TestHost host) : IAsyncDisposable
    {
        public ManualTimeProvider Clock => clock;

        public SqliteConformanceStorage Storage => storage;

        public TestHost Host => host;

        public static async Task<Fixture> StartAsync(string name)
        {
            var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
            var storage = await SqliteConformanceStorage.CreateAsync(nameof(CertificateHealthAndMetricsTests) + "-" + name);
            var host = await AccessControlHosts.StartAsync(storage, TestHost.NewMasterKey(), services: s =>
            {
                s.AddSingleton<TimeProvider>(clock);
                s.AddHealthChecks().AddKeyInfrastructure();
            });
            return new Fixture(clock, storage, host);
        }

        public async ValueTask DisposeAsync()
        {
            await host.DisposeAsync();
            await storage.DisposeAsync();
        }
    }

    private static async Task<HealthReportEntry> CheckAsync(TestHost host)
        => (await host.Get<HealthCheckService>().CheckHealthAsync(r => r.Name == KeyInfraHealthChecks.CertificatesName)).Entries[KeyInfraHealthChecks.CertificatesName];
}
