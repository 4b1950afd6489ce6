using KeyInfra.Core.Tests.Encryption;
using KeyInfra.Keys;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.Extensions.Logging.Abstractions;

namespace KeyInfra.Core.Tests.Verification;

[TestClass]
public sealed class LogChainWriterTests
{
    private static readonly Guid s_tenantA = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid s_tenantB = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    [TestMethod]
    public void Seal_EntriesOfTwoTenantsInterleaved_OneAuthenticDigestPerTenantWithItsEntriesInOrder()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), "chain-key");
        using var writer = new LogChainWriter(provider, TimeProvider.System, NullLogger.Instance, TimeSpan.Zero);
        var now = DateTimeOffset.UtcNow;
        var a1 = Record(s_tenantA, now.AddSeconds(-3));
        var b1 = Record(s_tenantB, now.AddSeconds(-2));
        var a2 = Record(s_tenantA, now.AddSeconds(-5));
        var batchB = Batch(s_tenantB, now.AddSeconds(-1), 2);
        LogChainEntries[] entries = [LogChainEntries.Of(a1), LogChainEntries.Of(b1), LogChainEntries.Of(a2), LogChainEntries.Of(batchB)];

        var digests = writer.Seal(entries);

        Assert.HasCount(2, digests);
        Assert.AreEqual(s_tenantA, digests[0].TenantId);
        Assert.AreEqual(s_tenantB, digests[1].TenantId);
        CollectionAssert.AreEqual(entries[0].Manifest.Concat(entries[2].Manifest).ToArray(), digests[0].Manifest);
        CollectionAssert.AreEqual(entries[1].Manifest.Concat(entries[3].Manifest).ToArray(), digests[1].Manifest);
        Assert.AreEqual(2, digests[0].EntryCount);
        Assert.AreEqual(4, digests[1].EntryCount);
        Assert.AreEqual(LogChainFormat.Truncate(a2.VerifiedAt), digests[0].FirstEntryAt);
        Assert.IsTrue(digests.All(d => d.CommittedAt >= LogChainFormat.Truncate(batchB.CompletedAt)));
        using var lease = provider.AcquireRingAsync().AsTask().GetAwaiter().GetResult();
        Assert.IsTrue(digests.All(d => LogChainFormat.IsAuthentic(lease.Ring.Current, d)));
    }

    [TestMethod]
    public void Seal_AfterCommitted_LinksToTheTenantsPreviousDigest()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), "chain-key");
        using var writer = new LogChainWriter(provider, TimeProvider.System, NullLogger.Instance, TimeSpan.Zero);
        var first = writer.Seal([LogChainEntries.Of(Record(s_tenantA, DateTimeOffset.UtcNow))]);
        writer.Committed(first);

        var second = writer.Seal([LogChainEntries.Of(Record(s_tenantB, DateTimeOffset.UtcNow)), LogChainEntries.Of(Record(s_tenantA, DateTimeOffset.UtcNow))]);

        var a = second.Single(d => d.TenantId == s_tenantA);
        var b = second.Single(d => d.TenantId == s_tenantB);
        Assert.AreEqual(2, a.Sequence);
        CollectionAssert.AreEqual(first[0].Digest, a.PreviousDigest);
        Assert.AreEqual(1, b.Sequence);
        CollectionAssert.AreEqual(new byte[LogChainFormat.DigestSize], b.PreviousDigest);
    }

    [TestMethod]
    public void Seal_WithoutMasterKey_NoDigests()
    {
        using var writer = new LogChainWriter(null, TimeProvider.System, NullLogger.Instance, TimeSpan.Zero);

        Assert.IsEmpty(writer.Seal([LogChainEntries.Of(Record(s_tenantA, DateTimeOffset.UtcNow))]));
    }

    private static VerificationRecord Record(Guid tenantId, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(at),
        TenantId = tenantId,
        RequestedKeyId = new KeyId(Guid.CreateVersion7(at)),
        KeyExists = false,
        Status = VerificationStatus.KeyNotFound,
        DocumentSha256 = new byte[32],
        SignatureSha256 = new byte[32],
        VerifiedAt = at,
    };

    private static BatchVerificationRecord Batch(Guid tenantId, DateTimeOffset startedAt, int items) => new()
    {
        Id = Guid.CreateVersion7(startedAt),
        TenantId = tenantId,
        StartedAt = startedAt,
        CompletedAt = startedAt.AddMilliseconds(20),
        Items = [.. Enumerable.Range(0, items).Select(_ => Record(tenantId, startedAt.AddMilliseconds(10)))],
    };
}
