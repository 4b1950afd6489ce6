using KeyInfra.Authorization;
using KeyInfra.Certificates;
using KeyInfra.HealthChecks;
using KeyInfra.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using static KeyInfra.Tests.Conformance.AccessControlHosts;

namespace KeyInfra.Sqlite.Tests.Certificates;

/// <summary>The hosted CRL schedule, run by the host on a fake clock: a CRL is refreshed once it falls due, not before.</summary>
[TestClass]
public sealed class CertificateMaintenanceServiceTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);

    [TestMethod]
    public async Task TheHost_RefreshesACrlOnceItIsDue_AndNotAtTheFirstPassBefore()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var storage = await SqliteConformanceStorage.CreateAsync(nameof(CertificateMaintenanceServiceTests) + "-due");
        await using var host = await AccessControlHosts.StartAsync(storage, TestHost.NewMasterKey(), services: s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.AddHealthChecks().AddKeyInfrastructure();
        });
        using var scope = Callers(host).Use(await NewUserAsync(host, "admin", KeyInfraRoles.Admin));
        var authorities = host.Get<ICertificateAuthorities>();
        var root = await authorities.CreateRootAsync(new CreateCertificateAuthorityRequest("root", "CN=Schedule Root"));
        var options = new CertificateOptions();
        var due = (await authorities.GetCrlAsync(root.Id))!.NextUpdate - options.CrlRefreshMargin;

        // The first pass, 5 minutes after start, finds nothing due (the health check reports when a pass ran).
        var noPassYet = await LastPassAsync(host);
        clock.Advance(TimeSpan.FromMinutes(5));
        var firstPass = await WaitForPassAsync(host);
        var beforeDue = (await authorities.GetCrlAsync(root.Id))!;
        clock.Advance(due - clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        var refreshed = await WaitForCrlAsync(authorities, root.Id, beforeDue.Number + 1, clock);

        Assert.IsNull(noPassYet, "no pass before 5 minutes");
        Assert.IsNotNull(firstPass, "the first pass ran 5 minutes after start");
        Assert.AreEqual(1, beforeDue.Number, "nothing was due at the first pass");
        Assert.IsNotNull(refreshed, "the schedule published the due CRL");
        Assert.IsGreaterThanOrEqualTo(due, refreshed.ThisUpdate);
        Assert.AreEqual(refreshed.ThisUpdate + options.CrlValidity, refreshed.NextUpdate);
    }

    [TestMethod]
    public async Task WithTheScheduleOff_NoCrlIsPublishedHoweverLateItIs()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var storage = await SqliteConformanceStorage.CreateAsync(nameof(CertificateMaintenanceServiceTests) + "-off");
        await using var host = await AccessControlHosts.StartAsync(storage, TestHost.NewMasterKey(),
            options: o => o.Certificates.CrlSchedule = TimeSpan.Zero, services: s => s.AddSingleton<TimeProvider>(clock));
        using var scope = Callers(host).Use(await NewUserAsync(host, "admin", KeyInfraRoles.Admin));
        var authorities = host.Get<ICertificateAuthorities>();
        var root = await authorities.CreateRootAsync(new CreateCertificateAuthorityRequest("root", "CN=Unscheduled Root"));

        clock.Advance(new CertificateOptions().CrlValidity + TimeSpan.FromHours(1));
        var later = await WaitForCrlAsync(authorities, root.Id, 2, clock, TimeSpan.FromSeconds(3));

        Assert.IsNull(later, "CrlSchedule = 0 leaves CRLs to the host's own scheduler, even one past its next update");
        Assert.AreEqual(1, (await authorities.GetCrlAsync(root.Id))!.Number);
    }

    private static async Task<string?> LastPassAsync(TestHost host)
    {
        var report = await host.Get<HealthCheckService>().CheckHealthAsync(r => r.Name == KeyInfraHealthChecks.CertificatesName);
        return report.Entries[KeyInfraHealthChecks.CertificatesName].Data.TryGetValue("last_crl_pass", out var at) ? (string)at : null;
    }

    private static async Task<string?> WaitForPassAsync(TestHost host)
    {
        var deadline = DateTime.UtcNow + s_patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await LastPassAsync(host) is { } at)
            {
                return at;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        return null;
    }

    // Moves the clock an hour at a time (a pass per tick) until the authority's CRL reaches `number`, or gives up.
    private static async Task<CertificateRevocationListInfo?> WaitForCrlAsync(ICertificateAuthorities authorities, Guid id, long number, FakeTimeProvider clock, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? s_patience);
        while (DateTime.UtcNow < deadline)
        {
            if (await authorities.GetCrlAsync(id) is { } crl && crl.Number >= number)
            {
                return crl;
            }

            clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        return null;
    }
}
