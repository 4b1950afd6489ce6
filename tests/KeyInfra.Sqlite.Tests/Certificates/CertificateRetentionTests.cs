using System.Security.Cryptography.X509Certificates;
using KeyInfra.Authorization;
using KeyInfra.Certificates;
using KeyInfra.Errors;
using KeyInfra.Tests.Conformance;
using static KeyInfra.Tests.Conformance.AccessControlHosts;

namespace KeyInfra.Sqlite.Tests.Certificates;

/// <summary>Retention on SQLite: expired certificates go after 24 months, their serials and revocations stay; only the host runs it.</summary>
[TestClass]
public sealed class CertificateRetentionTests
{
    [TestMethod]
    public async Task RemoveExpired_DeletesCertificatesPastTheRetention_KeepsTheRest_AndTheSerials()
    {
        Assert.IsFalse(new CertificateOptions().RetentionEnabled, "the job is off by default");
        await using var storage = await SqliteConformanceStorage.CreateAsync(nameof(CertificateRetentionTests));
        await using var host = await AccessControlHosts.StartAsync(storage, TestHost.NewMasterKey());
        var admin = await NewUserAsync(host, "admin", KeyInfraRoles.Admin);
        CertificateInfo old, current;
        using (Callers(host).Use(admin))
        {
            var authority = await host.Get<ICertificateAuthorities>().CreateRootAsync(new CreateCertificateAuthorityRequest("retention", "CN=Retention"));
            old = await IssueAsync(host, authority, "old.example.net");
            current = await IssueAsync(host, authority, "current.example.net");
            await host.Get<ICertificateStore>().RevokeAsync(old.Id, X509RevocationReason.CessationOfOperation);
        }

        Assert.AreEqual(1, await storage.TamperAsync("UPDATE certificates SET not_after = $2 WHERE id = $1", old.Id, DateTimeOffset.UtcNow.AddMonths(-30)));

        using (Callers(host).Use(admin))
        {
            var denied = await Assert.ThrowsAsync<KeyInfraException>(() => host.Get<ICertificateMaintenance>().RemoveExpiredAsync());
            Assert.AreEqual(ErrorCodes.AccessDenied, denied.ErrorCode, "retention spans tenants: the host's, not an admin's");
        }

        int removed;
        using (Callers(host).Use(Caller.ForSystem("retention")))
        {
            removed = await host.Get<ICertificateMaintenance>().RemoveExpiredAsync();
        }

        Assert.AreEqual(1, removed);
        Assert.AreEqual(0L, await storage.ScalarAsync<long>("SELECT count(*) FROM certificates WHERE id = $1", old.Id));
        Assert.AreEqual(1L, await storage.ScalarAsync<long>("SELECT count(*) FROM certificates WHERE id = $1", current.Id));
        Assert.AreEqual(1L, await storage.ScalarAsync<long>("SELECT count(*) FROM certificate_serials WHERE certificate_id = $1", old.Id), "a serial is never reused");
        Assert.AreEqual(1L, await storage.ScalarAsync<long>("SELECT count(*) FROM revoked_certificates WHERE certificate_id = $1", old.Id), "nor a revocation forgotten");
    }

    private static Task<CertificateInfo> IssueAsync(TestHost host, CertificateAuthorityInfo authority, string name)
        => host.Get<ICertificateStore>().IssueAsync(new IssueCertificateRequest(authority.Id) { SigningRequest = DeviceSigningRequests.For(name) });
}
