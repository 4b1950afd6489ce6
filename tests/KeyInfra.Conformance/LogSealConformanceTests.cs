using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// The seal interval (<see cref="VerificationLogOptions.SealInterval"/>): the writer commits one digest for the groups of
/// an interval, and what it seals is what it was handed, so a row changed or removed before its seal is still found.
/// Run by each provider's test project; the audit logs are off, so every entry is a verification of the test's own.
/// </summary>
/// <remarks>
/// The longest interval (5 minutes) stands for "not yet due": nothing is sealed until a flush, a stop or a walk asks for
/// it, which lets the tests look at the log between a commit and its seal without relying on timing. The test of the
/// timer waits for it with a generous bound; the tests of another writer give both writers a few seconds.
/// </remarks>
public abstract class LogSealConformanceTests
{
    private static readonly byte[] Document = "The quick brown fox jumps over the lazy dog"u8.ToArray();

    // A manifest entry: kind (1), id (16), time (8), SHA-256 (32) (docs/security/log-chain.md).
    private const int ManifestEntrySize = 57;

    private static readonly string s_masterKey = TestHost.NewMasterKey();

    private static readonly TimeSpan s_notYetDue = VerificationLogOptions.MaxSealInterval;

    // Long enough that the other writer's seal is not committed before the walk starts on a slow machine.
    private static readonly TimeSpan s_anotherWritersInterval = TimeSpan.FromSeconds(5);

    /// <summary>The provider's database, shared by the tests of the class.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task Flush_SealsTheGroupsOfTheInterval_InOneDigest_ThatNamesEveryEntryInOrder()
    {
        var from = DateTimeOffset.UtcNow;
        await using var host = await StartAsync(s_notYetDue);
        var records = await VerifyAsync(host, 3);
        var repository = host.Get<IVerificationLogRepository>();
        var tenantId = host.Get<Tenancy.ITenantContext>().TenantId;

        Assert.IsEmpty(await repository.ReadDigestsAsync(tenantId, from, DateTimeOffset.UtcNow.AddHours(2)), "three commits, no seal due yet");
        await host.Get<IVerificationLog>().FlushAsync();

        var digest = (await repository.ReadDigestsAsync(tenantId, from, DateTimeOffset.UtcNow.AddHours(2))).Single();
        Assert.AreEqual(1L, digest.Sequence);
        Assert.AreEqual(3, digest.EntryCount);
        CollectionAssert.AreEqual(records.ToArray(), NamedRecords(digest));
        var report = await host.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest { From = from, To = DateTimeOffset.UtcNow.AddSeconds(1), ExpectedHeads = host.Get<IVerificationLogAuditor>().GetChainHeads() });
        Assert.IsTrue(report.IsClean, Describe(report));
        Assert.AreEqual(1L, report.GroupCount);
        Assert.AreEqual(3L, report.EntryCount);
    }

    [TestMethod]
    public async Task RowsChangedAndRemovedBeforeTheirSeal_AreReportedAsModifiedAndDeleted()
    {
        var from = DateTimeOffset.UtcNow;
        await using var host = await StartAsync(s_notYetDue);
        var records = await VerifyAsync(host, 3);

        // Committed, not sealed: a writer who changes the rows now must not get the changes sealed (the second was refused).
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE verification_records SET result = 'valid' WHERE id = $1", records[1]));
        Assert.AreEqual(1, await Storage.TamperAsync("DELETE FROM verification_records WHERE id = $1", records[2]));
        var report = await host.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest { From = from, To = DateTimeOffset.UtcNow.AddHours(1) });

        var chainId = host.Get<IVerificationLogAuditor>().GetChainHeads().Single().ChainId;
        CollectionAssert.AreEqual(new[] { new LogEntryFinding(LogEntryKind.Record, records[1], chainId, 1) }, report.Modified.ToArray(), Describe(report));
        CollectionAssert.AreEqual(new[] { new LogEntryFinding(LogEntryKind.Record, records[2], chainId, 1) }, report.Deleted.ToArray());
        Assert.IsEmpty(report.Inserted);
        Assert.IsEmpty(report.BrokenLinks);
    }

    [TestMethod]
    public async Task StoppingHost_SealsWhatItCommitted_SoAnotherHostVerifiesItClean()
    {
        var from = DateTimeOffset.UtcNow;
        IReadOnlyList<Guid> records;
        await using (var host = await StartAsync(s_notYetDue))
        {
            records = await VerifyAsync(host, 2);
        }

        // An auditor that would not wait for another writer: a stop that did not seal shows at once as inserted entries.
        await using var auditor = await StartAsync(TimeSpan.Zero);
        var report = await auditor.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest { From = from, To = DateTimeOffset.UtcNow.AddHours(1) });

        Assert.IsTrue(report.IsClean, Describe(report));
        Assert.AreEqual(1L, report.GroupCount);
        Assert.AreEqual(records.Count, (int)report.EntryCount);
    }

    [TestMethod]
    public async Task IdleWriter_SealsOnItsOwn_OnceTheIntervalHasPassed()
    {
        var from = DateTimeOffset.UtcNow;
        await using var host = await StartAsync(TimeSpan.FromSeconds(1));
        var record = (await VerifyAsync(host, 1)).Single();
        var repository = host.Get<IVerificationLogRepository>();
        var tenantId = host.Get<Tenancy.ITenantContext>().TenantId;

        // No flush, no other commit: only the writer's own timer can seal it (the bound is far above the interval).
        IReadOnlyList<LogDigest> digests = [];
        for (var waited = 0; digests.Count == 0 && waited < 30_000; waited += 100)
        {
            await Task.Delay(100);
            digests = await repository.ReadDigestsAsync(tenantId, from, DateTimeOffset.UtcNow.AddHours(2));
        }

        CollectionAssert.AreEqual(new[] { record }, NamedRecords(digests.Single()));
    }

    [TestMethod]
    public async Task AnotherWritersEntries_NotSealedYet_AreWaitedFor_NotReportedAsInserted()
    {
        var from = DateTimeOffset.UtcNow;
        await using var writer = await StartAsync(s_anotherWritersInterval);
        await using var auditor = await StartAsync(s_anotherWritersInterval);
        var records = await VerifyAsync(writer, 2);
        var repository = auditor.Get<IVerificationLogRepository>();
        var tenantId = auditor.Get<Tenancy.ITenantContext>().TenantId;
        Assert.IsEmpty(await repository.ReadDigestsAsync(tenantId, from, DateTimeOffset.UtcNow.AddHours(2)), "the other writer sealed before the walk: nothing to wait for");

        // The auditor's flush seals only its own writer's entries; the other writer's seal is due within its interval.
        var report = await auditor.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest { From = from, To = DateTimeOffset.UtcNow.AddHours(1) });

        Assert.IsTrue(report.IsClean, Describe(report));
        Assert.AreEqual(records.Count, (int)report.EntryCount);
    }

    [TestMethod]
    public async Task AnotherWritersEntry_DeletedBeforeItsSeal_IsReportedDeleted_WhenTheWaitedForSealNamesIt()
    {
        var from = DateTimeOffset.UtcNow;
        await using var writer = await StartAsync(s_anotherWritersInterval);
        await using var auditor = await StartAsync(s_anotherWritersInterval);
        var records = await VerifyAsync(writer, 2);

        // Committed, not sealed, and removed: the walk finds only the first, waits for the writer's seal, and the seal
        // names both.
        Assert.AreEqual(1, await Storage.TamperAsync("DELETE FROM verification_records WHERE id = $1", records[1]));
        var report = await auditor.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest { From = from, To = DateTimeOffset.UtcNow.AddHours(1) });

        var chainId = writer.Get<IVerificationLogAuditor>().GetChainHeads().Single().ChainId;
        CollectionAssert.AreEqual(new[] { new LogEntryFinding(LogEntryKind.Record, records[1], chainId, 1) }, report.Deleted.ToArray(), Describe(report));
        Assert.IsEmpty(report.Modified);
        Assert.IsEmpty(report.Inserted);
    }

    private Task<TestHost> StartAsync(TimeSpan sealInterval) => TestHost.StartAsync(Storage, s_masterKey, o =>
    {
        o.Audit.ControlPlane = LogMode.Off;
        o.Audit.DataPlane = LogMode.Off;
        o.VerificationLog.SealInterval = sealInterval;
    });

    // Durable and awaited: each verification is a group commit of its own.
    private static async Task<IReadOnlyList<Guid>> VerifyAsync(TestHost host, int count)
    {
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "log seal"));
        var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
        var records = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, i % 2 == 0 ? Document : "forged"u8.ToArray(), signature));
            records.Add(result.RecordId!.Value);
        }

        return records;
    }

    private static string Describe(LogAuditReport report)
        => $"modified [{string.Join(", ", report.Modified)}], deleted [{string.Join(", ", report.Deleted)}], inserted [{string.Join(", ", report.Inserted)}], " +
           $"breaks [{string.Join(", ", report.BrokenLinks)}], {report.GroupCount} groups";

    private static Guid[] NamedRecords(LogDigest digest)
        => [.. digest.Manifest.Chunk(ManifestEntrySize).Select(entry => new Guid(entry.AsSpan(1, 16), bigEndian: true))];
}
