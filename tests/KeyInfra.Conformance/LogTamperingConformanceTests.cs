using System.Data.Common;
using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// The verification log's chain against a database writer without the master key: each attack is run on the real
/// database (past the append-only protections, as such a writer would) and <c>log verify</c> must report exactly what
/// it did, and nothing when nothing was done. Run by each provider's test project.
/// </summary>
/// <remarks>
/// Tests of a class run one after another on one database; each checks only the range of time it wrote in, so the
/// damage one test leaves is outside every other test's range. Every verification is Durable and awaited, and every
/// group sealed at once, so each is a group of its own, with a known sequence number.
/// </remarks>
public abstract class LogTamperingConformanceTests
{
    private static readonly byte[] Document = "The quick brown fox jumps over the lazy dog"u8.ToArray();

    // One master key for every host of the suite on the shared database.
    private static readonly string s_masterKey = TestHost.NewMasterKey();

    /// <summary>The provider's database, shared by the tests of the class.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task VerifyAsync_UntamperedLog_IsClean()
    {
        await using var log = await WriteLogAsync(records: 3, batchItems: 3);

        var report = await log.VerifyAsync(log.Host.Get<IVerificationLogAuditor>().GetChainHeads());

        Assert.IsTrue(report.IsClean, Describe(report));
        Assert.AreEqual(1, report.ChainCount);
        Assert.AreEqual(4L, report.GroupCount);
        Assert.AreEqual(3L + 1 + 3, report.EntryCount);
        Assert.AreEqual(0, report.HeadsNotChecked);
    }

    [TestMethod]
    public async Task VerifyAsync_RecordModified_ReportsItAsModified()
    {
        await using var log = await WriteLogAsync(records: 3);

        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE verification_records SET result = 'valid' WHERE id = $1", log.Records[1]));
        var report = await log.VerifyAsync();

        CollectionAssert.AreEqual(new[] { new LogEntryFinding(LogEntryKind.Record, log.Records[1], log.ChainId, 2) }, report.Modified.ToArray(), Describe(report));
        Assert.IsEmpty(report.Deleted);
        Assert.IsEmpty(report.Inserted);
        Assert.IsEmpty(report.BrokenLinks);
    }

    [TestMethod]
    public async Task VerifyAsync_RecordMovedInTime_ReportsItAsModified()
    {
        await using var log = await WriteLogAsync(records: 3);
        var later = await log.Host.Get<IVerifier>().VerifyAsync(new VerificationRequest(KeyId.New(), Document, new byte[64]));

        // Moved out of the range checked (to the time of a record after it): found by its id, not reported as deleted.
        Assert.AreEqual(1, await Storage.TamperAsync(
            "UPDATE verification_records SET verified_at = (SELECT v.verified_at FROM verification_records v WHERE v.id = $2) WHERE id = $1", log.Records[0], later.RecordId));
        var report = await log.VerifyAsync();

        CollectionAssert.AreEqual(new[] { new LogEntryFinding(LogEntryKind.Record, log.Records[0], log.ChainId, 1) }, report.Modified.ToArray(), Describe(report));
        Assert.IsEmpty(report.Deleted);
        Assert.IsEmpty(report.Inserted);
        Assert.IsEmpty(report.BrokenLinks);
    }

    [TestMethod]
    public async Task VerifyAsync_RecordDeleted_ReportsItAsDeleted()
    {
        await using var log = await WriteLogAsync(records: 3);

        Assert.AreEqual(1, await Storage.TamperAsync("DELETE FROM verification_records WHERE id = $1", log.Records[1]));
        var report = await log.VerifyAsync();

        CollectionAssert.AreEqual(new[] { new LogEntryFinding(LogEntryKind.Record, log.Records[1], log.ChainId, 2) }, report.Deleted.ToArray(), Describe(report));
        Assert.IsEmpty(report.Modified);
        Assert.IsEmpty(report.Inserted);
        Assert.IsEmpty(report.BrokenLinks);
    }

    [TestMethod]
    public async Task VerifyAsync_RecordInserted_ReportsItAsInserted()
    {
        await using var log = await WriteLogAsync(records: 2);
        var forged = Guid.CreateVersion7();

        // A copy of a real record under a new id: well formed, with a time inside the range.
        Assert.AreEqual(1, await Storage.TamperAsync(
            "INSERT INTO verification_records (id, tenant_id, key_id, requested_key_id, algorithm, result, document_sha256, signature_sha256, verified_at, caller, caller_id, detail) " +
            "SELECT $1, tenant_id, key_id, requested_key_id, algorithm, 'valid', document_sha256, signature_sha256, verified_at, caller, caller_id, detail FROM verification_records WHERE id = $2",
            forged, log.Records[1]));
        var report = await log.VerifyAsync();

        CollectionAssert.AreEqual(new[] { new LogEntryFinding(LogEntryKind.Record, forged, null, 0) }, report.Inserted.ToArray(), Describe(report));
        Assert.IsEmpty(report.Modified);
        Assert.IsEmpty(report.Deleted);
        Assert.IsEmpty(report.BrokenLinks);
    }

    [TestMethod]
    public async Task VerifyAsync_BatchTampered_ReportsTheItemsAndTheBatch()
    {
        await using var log = await WriteLogAsync(records: 1, batchItems: 3);

        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE batch_verification_items SET result = 'valid' WHERE id = $1", log.Items[0]));
        Assert.AreEqual(1, await Storage.TamperAsync("DELETE FROM batch_verification_items WHERE id = $1", log.Items[2]));
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE batch_verifications SET valid_count = total_count WHERE id = $1", log.BatchId));
        var report = await log.VerifyAsync();

        CollectionAssert.AreEquivalent(
            new[] { new LogEntryFinding(LogEntryKind.Batch, log.BatchId, log.ChainId, 2), new LogEntryFinding(LogEntryKind.BatchItem, log.Items[0], log.ChainId, 2) },
            report.Modified.ToArray(), Describe(report));
        CollectionAssert.AreEqual(new[] { new LogEntryFinding(LogEntryKind.BatchItem, log.Items[2], log.ChainId, 2) }, report.Deleted.ToArray());
        Assert.IsEmpty(report.Inserted);
        Assert.IsEmpty(report.BrokenLinks);
    }

    [TestMethod]
    public async Task VerifyAsync_GroupsReordered_ReportsTheirDigestsAndTheBrokenLink()
    {
        await using var log = await WriteLogAsync(records: 4);

        // Groups 2 and 3 trade places.
        await Storage.TamperAsync("UPDATE verification_log_digests SET sequence = 1000 WHERE chain_id = $1 AND sequence = 2", log.ChainId);
        await Storage.TamperAsync("UPDATE verification_log_digests SET sequence = 2 WHERE chain_id = $1 AND sequence = 3", log.ChainId);
        await Storage.TamperAsync("UPDATE verification_log_digests SET sequence = 3 WHERE chain_id = $1 AND sequence = 1000", log.ChainId);
        var report = await log.VerifyAsync();

        CollectionAssert.AreEqual(
            new[] { Break(log, 2, LogChainBreakKind.DigestInvalid), Break(log, 3, LogChainBreakKind.DigestInvalid), Break(log, 4, LogChainBreakKind.PreviousMismatch) },
            report.BrokenLinks.ToArray(), Describe(report));

        // Their records are no longer covered by an authentic digest.
        CollectionAssert.AreEquivalent(new[] { log.Records[1], log.Records[2] }, report.Inserted.Select(f => f.Id).ToArray());
        Assert.IsEmpty(report.Modified);
        Assert.IsEmpty(report.Deleted);
    }

    [TestMethod]
    public async Task VerifyAsync_DigestDeleted_ReportsTheMissingGroup()
    {
        await using var log = await WriteLogAsync(records: 3);

        Assert.AreEqual(1, await Storage.TamperAsync("DELETE FROM verification_log_digests WHERE chain_id = $1 AND sequence = 2", log.ChainId));
        var report = await log.VerifyAsync();

        CollectionAssert.AreEqual(new[] { Break(log, 2, LogChainBreakKind.MissingGroup) }, report.BrokenLinks.ToArray(), Describe(report));
        CollectionAssert.AreEqual(new[] { new LogEntryFinding(LogEntryKind.Record, log.Records[1], null, 0) }, report.Inserted.ToArray());
        Assert.IsEmpty(report.Modified);
        Assert.IsEmpty(report.Deleted);
    }

    [TestMethod]
    public async Task VerifyAsync_DigestAltered_ReportsItAndTheLinkAfterIt()
    {
        await using var log = await WriteLogAsync(records: 3);

        Assert.AreEqual(1, await Storage.TamperAsync(
            "UPDATE verification_log_digests SET digest = (SELECT d.digest FROM verification_log_digests d WHERE d.chain_id = $1 AND d.sequence = 1) WHERE chain_id = $1 AND sequence = 2",
            log.ChainId));
        var report = await log.VerifyAsync();

        CollectionAssert.AreEqual(
            new[] { Break(log, 2, LogChainBreakKind.DigestInvalid), Break(log, 3, LogChainBreakKind.PreviousMismatch) },
            report.BrokenLinks.ToArray(), Describe(report));
        CollectionAssert.AreEqual(new[] { new LogEntryFinding(LogEntryKind.Record, log.Records[1], null, 0) }, report.Inserted.ToArray());
    }

    [TestMethod]
    public async Task VerifyAsync_DigestRecomputedWithoutTheKey_ReportsTheDigestAsInvalid()
    {
        await using var log = await WriteLogAsync(records: 3);
        var digest = (await log.ReadDigestsAsync()).Single(d => d.Sequence == 2);

        // The attacker changes the record, then rewrites the group's digest over its new contents: with a key of their own,
        // since the log-chain subkey never leaves the master key.
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE verification_records SET result = 'valid' WHERE id = $1", log.Records[1]));
        var forgedDigest = HMACSHA256.HashData(RandomNumberGenerator.GetBytes(32), digest.Manifest.Concat(digest.PreviousDigest).ToArray());
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE verification_log_digests SET digest = $2 WHERE chain_id = $1 AND sequence = 2", log.ChainId, forgedDigest));
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE verification_log_digests SET previous_digest = $2 WHERE chain_id = $1 AND sequence = 3", log.ChainId, forgedDigest));
        var report = await log.VerifyAsync();

        CollectionAssert.AreEqual(
            new[] { Break(log, 2, LogChainBreakKind.DigestInvalid), Break(log, 3, LogChainBreakKind.DigestInvalid) },
            report.BrokenLinks.ToArray(), Describe(report));
        CollectionAssert.AreEquivalent(new[] { log.Records[1], log.Records[2] }, report.Inserted.Select(f => f.Id).ToArray());
    }

    [TestMethod]
    public async Task VerifyAsync_NewestGroupsCutOff_FoundOnlyAgainstTheHeadKeptOutside()
    {
        await using var log = await WriteLogAsync(records: 4);
        var heads = log.Host.Get<IVerificationLogAuditor>().GetChainHeads();

        // The newest two groups go, records and digests: the rest of the chain is whole.
        Assert.AreEqual(2, await Storage.TamperAsync("DELETE FROM verification_log_digests WHERE chain_id = $1 AND sequence >= 3", log.ChainId));
        Assert.AreEqual(1, await Storage.TamperAsync("DELETE FROM verification_records WHERE id = $1", log.Records[2]));
        Assert.AreEqual(1, await Storage.TamperAsync("DELETE FROM verification_records WHERE id = $1", log.Records[3]));
        var withoutHead = await log.VerifyAsync();
        var withHead = await log.VerifyAsync(heads);

        Assert.IsTrue(withoutHead.IsClean, Describe(withoutHead));
        Assert.AreEqual(2L, withoutHead.GroupCount);
        CollectionAssert.AreEqual(new[] { Break(log, 3, LogChainBreakKind.Truncated) }, withHead.BrokenLinks.ToArray(), Describe(withHead));
        Assert.IsEmpty(withHead.Modified);
        Assert.IsEmpty(withHead.Deleted);
        Assert.IsEmpty(withHead.Inserted);
    }

    [TestMethod]
    public async Task VerifyAsync_HeadOfAnotherHistory_ReportsHeadMismatch()
    {
        await using var log = await WriteLogAsync(records: 2);
        var head = log.Host.Get<IVerificationLogAuditor>().GetChainHeads().Single();
        var other = new LogChainHead(head.ChainId, head.TenantId, head.Sequence, RandomNumberGenerator.GetBytes(32));

        var report = await log.VerifyAsync([other]);

        CollectionAssert.AreEqual(new[] { Break(log, 2, LogChainBreakKind.HeadMismatch) }, report.BrokenLinks.ToArray(), Describe(report));
    }

    [TestMethod]
    public async Task VerifyAsync_HeadTextForm_RoundTrips()
    {
        await using var log = await WriteLogAsync(records: 1);
        var head = log.Host.Get<IVerificationLogAuditor>().GetChainHeads().Single();

        var parsed = LogChainHead.Parse(head.ToString());

        Assert.AreEqual(head, parsed);
        StringAssert.StartsWith(head.ToString(), "kih1:");
        Assert.IsTrue((await log.VerifyAsync([parsed])).IsClean);
    }

    [TestMethod]
    [DataRow("UPDATE verification_records SET result = 'valid' WHERE id = $1", "record")]
    [DataRow("DELETE FROM verification_records WHERE id = $1", "record")]
    [DataRow("UPDATE verification_log_digests SET entry_count = entry_count WHERE chain_id = $1", "chain")]
    [DataRow("DELETE FROM verification_log_digests WHERE chain_id = $1", "chain")]
    [DataRow("UPDATE batch_verifications SET valid_count = 0 WHERE id = $1", "batch")]
    [DataRow("DELETE FROM batch_verification_items WHERE batch_id = $1", "batch")]
    public async Task ApplicationRole_UpdateOrDeleteOfTheLog_IsRefused(string sql, string target)
    {
        await using var log = await WriteLogAsync(records: 1, batchItems: 1);
        object id = target switch
        {
            "record" => log.Records[0],
            "chain" => log.ChainId,
            _ => log.BatchId,
        };

        await Assert.ThrowsAsync<DbException>(() => Storage.ExecuteAsApplicationAsync(sql, id));

        Assert.IsTrue((await log.VerifyAsync()).IsClean);
    }

    private static LogChainBreak Break(WrittenLog log, long sequence, LogChainBreakKind kind) => new(log.ChainId, log.TenantId, sequence, kind);

    private static string Describe(LogAuditReport report)
        => $"modified [{string.Join(", ", report.Modified)}], deleted [{string.Join(", ", report.Deleted)}], inserted [{string.Join(", ", report.Inserted)}], " +
           $"breaks [{string.Join(", ", report.BrokenLinks)}], {report.GroupCount} groups";

    /// <summary>Starts a host and writes, one group each: <paramref name="records"/> verifications, then a batch of <paramref name="batchItems"/>.</summary>
    private async Task<WrittenLog> WriteLogAsync(int records, int batchItems = 0)
    {
        var from = DateTimeOffset.UtcNow;
        // The audit logs share the chain; off here, and every group sealed on its own, so every group is one verification
        // with a known sequence number (AuditConformanceTests tamper with audit records; LogSealConformanceTests check
        // the seal interval).
        var host = await TestHost.StartAsync(Storage, s_masterKey, o =>
        {
            o.Audit.ControlPlane = LogMode.Off;
            o.Audit.DataPlane = LogMode.Off;
            o.VerificationLog.SealInterval = TimeSpan.Zero;
        });
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "log tampering"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            var verifier = host.Get<IVerifier>();
            var ids = new List<Guid>();
            for (var i = 0; i < records; i++)
            {
                // Every other one refused, so a tampered "valid" is a change.
                var result = await verifier.VerifyAsync(new VerificationRequest(key.Id, i % 2 == 0 ? Document : "forged"u8.ToArray(), signature));
                ids.Add(result.RecordId!.Value);
            }

            Guid batchId = default;
            var items = new List<Guid>();
            if (batchItems > 0)
            {
                var batch = await verifier.VerifyBatchAsync(
                    Enumerable.Range(0, batchItems).Select(i => new VerificationRequest(key.Id, i == 0 ? "forged"u8.ToArray() : Document, signature)).ToList(), "batch caller");
                batchId = batch.BatchId!.Value;
                items.AddRange(batch.Results.Select(r => r.RecordId!.Value));
            }

            var head = host.Get<IVerificationLogAuditor>().GetChainHeads().Single();
            return new WrittenLog(host, head.ChainId, head.TenantId, from, DateTimeOffset.UtcNow.AddMilliseconds(1), ids, batchId, items);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>A host and what it wrote, in order, in one chain; <see cref="VerifyAsync"/> checks just this range.</summary>
    private sealed record WrittenLog(TestHost Host, Guid ChainId, Guid TenantId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<Guid> Records, Guid BatchId, IReadOnlyList<Guid> Items)
        : IAsyncDisposable
    {
        public Task<LogAuditReport> VerifyAsync(IReadOnlyList<LogChainHead>? heads = null)
            => Host.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest { From = From, To = To, ExpectedHeads = heads ?? [] });

        public Task<IReadOnlyList<LogDigest>> ReadDigestsAsync()
            => Host.Services.GetRequiredService<Storage.IVerificationLogRepository>().ReadDigestsAsync(TenantId, From, To);

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }
}
