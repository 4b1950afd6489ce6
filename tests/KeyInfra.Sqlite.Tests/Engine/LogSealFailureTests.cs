using System.Diagnostics.Metrics;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// The log writer when its seal fails: the digest insert is refused by a trigger only the database knows about (made on a
/// connection of its own). Committed entries are kept, no row commits without a seal while sealing fails, a flush says
/// the seal did not happen, a seal of its own is retried after a growing delay (not in a loop), and once the database
/// takes digests again everything committed is sealed and verifies clean.
/// </summary>
[TestClass]
public sealed class LogSealFailureTests
{
    private static readonly byte[] Document = "log seal failures"u8.ToArray();

    private const string RefuseDigests = "CREATE TRIGGER refuse_digests BEFORE INSERT ON verification_log_digests BEGIN SELECT RAISE(ABORT, 'digests refused by the test'); END;";

    [TestMethod]
    public async Task SealRefused_FlushFails_GroupsFailUntilASealCommits_ThenAllIsSealedAndClean()
    {
        var from = DateTimeOffset.UtcNow;
        await using var host = await StartAsync(VerificationLogOptions.MaxSealInterval);
        try
        {
            var (verifier, request) = await PrepareAsync(host);
            var first = await verifier.VerifyAsync(request);
            host.ExecuteOnOwnConnection(RefuseDigests);

            var flush = await Assert.ThrowsExactlyAsync<VerificationLogException>(() => host.Get<IVerificationLog>().FlushAsync());
            var whileFailing = await Assert.ThrowsExactlyAsync<VerificationLogException>(() => verifier.VerifyAsync(request));

            host.ExecuteOnOwnConnection("DROP TRIGGER refuse_digests;");
            var after = await verifier.VerifyAsync(request);
            var report = await host.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest { From = from, To = DateTimeOffset.UtcNow.AddHours(1) });

            Assert.AreEqual(ErrorCodes.VerificationLogWriteFailed, flush.ErrorCode);
            StringAssert.Contains(flush.Message, "could not seal");
            Assert.AreEqual(ErrorCodes.VerificationLogWriteFailed, whileFailing.ErrorCode, "A group committed while sealing fails carries the seal, and fails with it.");
            var stored = (await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { PageSize = 10 })).Items.Select(r => r.Id).Order().ToArray();
            CollectionAssert.AreEqual(new[] { first.RecordId!.Value, after.RecordId!.Value }.Order().ToArray(), stored);
            Assert.IsTrue(report.IsClean, $"inserted [{string.Join(", ", report.Inserted)}], deleted [{string.Join(", ", report.Deleted)}]");
            Assert.AreEqual(2L, report.EntryCount);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task SealOfItsOwnRefused_IsRetriedAfterAGrowingDelay_NotInALoop()
    {
        await using var host = await StartAsync(TimeSpan.FromMilliseconds(200));
        try
        {
            var (verifier, request) = await PrepareAsync(host);
            host.ExecuteOnOwnConnection(RefuseDigests);
            using var commits = new MetricCollector<double>(host.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, KeyInfraInstruments.VerificationLogCommitDuration);

            // One committed entry (its seal not due yet), then an idle writer whose seal keeps being refused.
            var from = DateTimeOffset.UtcNow;
            await verifier.VerifyAsync(request);
            await Task.Delay(TimeSpan.FromSeconds(4));
            var failedSeals = commits.GetMeasurementSnapshot().Count(m => m.Tags.ContainsKey(KeyInfraInstruments.ErrorTypeTag));

            // Due after 0.2 s, then retried 1 s and 2 s after each failure: three or four attempts in 4 s, not thousands.
            Assert.IsTrue(failedSeals is >= 2 and <= 5, $"{failedSeals} failed seal attempts in 4 s");
            host.ExecuteOnOwnConnection("DROP TRIGGER refuse_digests;");
            await host.Get<IVerificationLog>().FlushAsync();
            var tenantId = host.Get<Tenancy.ITenantContext>().TenantId;
            Assert.HasCount(1, await host.Get<KeyInfra.Storage.IVerificationLogRepository>().ReadDigestsAsync(tenantId, from, DateTimeOffset.UtcNow.AddHours(1)), "the flush seals once digests are taken again");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    private static Task<KeyInfraTestHost> StartAsync(TimeSpan sealInterval) => KeyInfraTestHost.StartAsync(options: o =>
    {
        o.Audit.ControlPlane = LogMode.Off;
        o.Audit.DataPlane = LogMode.Off;
        o.VerificationLog.SealInterval = sealInterval;
    });

    private static async Task<(IVerifier Verifier, VerificationRequest Request)> PrepareAsync(KeyInfraTestHost host)
    {
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "seal failures"));
        var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
        return (host.Get<IVerifier>(), new VerificationRequest(key.Id, Document, signature.Signature));
    }
}
