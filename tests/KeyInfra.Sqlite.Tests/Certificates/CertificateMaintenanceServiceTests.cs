using KeyInfra.Authorization;
using KeyInfra.Certificates;
using KeyInfra.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;
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
        await using var host = await AccessControlHosts.StartAsync(storage, TestHost.NewMasterKey(), services: s => s.AddSingleton<TimeProvider>(clock));
        using var scope = Callers(host).Use(await NewUserAsync(host, "admin", KeyInfraRoles.Admin));
        var authorities = host.Get<ICertificateAuthorities>();
        var root = await authorities.CreateRootAsync(new CreateCertificateAuthorityRequest("root", "CN=Schedule Root"));
        var options = new CertificateOptions();
        var due = (await authorities.GetCrlAsync(root.Id))!.NextUpdate - options.CrlRefreshMargin;

        // The first pass, 5 minutes after start, finds nothing due.
        clock.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var beforeDue = (await authorities.GetCrlAsync(root.Id))!;
        clock.Advance(due - clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        var refreshed = await WaitForCrlAsync(authorities, root.Id, beforeDue.Number + 1, clock);

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

        var later = await WaitForCrlAsync(authorities, root.Id, 2, clock, TimeSpan.FromSeconds(3));

        Assert.IsNull(later, "CrlSchedule = 0 leaves CRLs to the host's own scheduler");
        Assert.AreEqual(1, (await authorities.GetCrlAsync(root.Id))!.Number);
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
