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
    public void SealIfDue_NotDue_KeepsCommittedGroups_ThenOneSealCoversThemAndTheNextGroupInOrder()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), "chain-key");
        using var writer = new LogChainWriter(provider, TimeProvider.System, NullLogger.Instance, TimeSpan.Zero, TimeSpan.FromHours(1));
        LogChainEntries[] first = [LogChainEntries.Of(Record(s_tenantA, DateTimeOffset.UtcNow)), LogChainEntries.Of(Record(s_tenantB, DateTimeOffset.UtcNow))];
        LogChainEntries[] second = [LogChainEntries.Of(Record(s_tenantA, DateTimeOffset.UtcNow))];
        LogChainEntries[] third = [LogChainEntries.Of(Batch(s_tenantA, DateTimeOffset.UtcNow, 2))];

        Assert.IsNull(writer.SealDueIn, "nothing committed");
        Assert.IsEmpty(writer.SealIfDue(first, force: false));
        writer.Committed(first, []);
        Assert.IsEmpty(writer.SealIfDue(second, force: false));
        writer.Committed(second, []);
        Assert.AreEqual(3, writer.UnsealedCount);
        Assert.IsTrue(writer.SealDueIn > TimeSpan.FromMinutes(59));
        Assert.IsEmpty(writer.Heads, "no head before a seal");

        var digests = writer.SealIfDue(third, force: true);
        writer.Committed(third, digests);

        var a = digests.Single(d => d.TenantId == s_tenantA);
        CollectionAssert.AreEqual(first[0].Manifest.Concat(second[0].Manifest).Concat(third[0].Manifest).ToArray(), a.Manifest);
        Assert.AreEqual(1 + 1 + 3, a.EntryCount);
        CollectionAssert.AreEqual(first[1].Manifest, digests.Single(d => d.TenantId == s_tenantB).Manifest);
        Assert.AreEqual(0, writer.UnsealedCount);
        Assert.IsNull(writer.SealDueIn);
        Assert.HasCount(2, writer.Heads);
    }

    [TestMethod]
    public void SealIfDue_ZeroInterval_SealsEveryGroup()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), "chain-key");
        using var writer = new LogChainWriter(provider, TimeProvider.System, NullLogger.Instance, TimeSpan.Zero, TimeSpan.Zero);
        LogChainEntries[] group = [LogChainEntries.Of(Record(s_tenantA, DateTimeOffset.UtcNow))];

        var digests = writer.SealIfDue(group, force: false);
        writer.Committed(group, digests);

        Assert.AreEqual(1, digests.Single().EntryCount);
        Assert.AreEqual(0, writer.UnsealedCount);
    }

    [TestMethod]
    public void SealIfDue_UnsealedEntriesReachTheCap_SealsAtOnce()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), "chain-key");
        using var writer = new LogChainWriter(provider, TimeProvider.System, NullLogger.Instance, TimeSpan.Zero, TimeSpan.FromHours(1));
        LogChainEntries[] large = [LogChainEntries.Of(Batch(s_tenantA, DateTimeOffset.UtcNow, LogChainWriter.MaxUnsealedEntries - 2))];
        Assert.IsEmpty(writer.SealIfDue(large, force: false), "one short of the cap");
        writer.Committed(large, []);
        LogChainEntries[] one = [LogChainEntries.Of(Record(s_tenantA, DateTimeOffset.UtcNow))];

        var digests = writer.SealIfDue(one, force: false);

        Assert.AreEqual(LogChainWriter.MaxUnsealedEntries, digests.Single().EntryCount);
    }

    [TestMethod]
    public void Abandon_AfterASealFailed_KeepsTheUnsealedEntriesForTheNewChainsFirstDigest()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), "chain-key");
        using var writer = new LogChainWriter(provider, TimeProvider.System, NullLogger.Instance, TimeSpan.Zero, TimeSpan.FromHours(1));
        LogChainEntries[] committed = [LogChainEntries.Of(Record(s_tenantA, DateTimeOffset.UtcNow))];
        writer.Committed(committed, []);
        var sealed1 = writer.SealIfDue([], force: true);
        var ended = writer.ChainId;

        writer.Abandon();
        var again = writer.SealIfDue([], force: true);

        Assert.AreEqual(1, writer.UnsealedCount, "still waiting");
        Assert.AreNotEqual(ended, writer.ChainId);
        Assert.AreEqual(writer.ChainId, again.Single().ChainId);
        Assert.AreEqual(1L, again.Single().Sequence);
        CollectionAssert.AreEqual(sealed1.Single().Manifest, again.Single().Manifest);
    }

    [TestMethod]
    public void SealFailed_EveryGroupIsSealed_AndASealOfItsOwnWaitsTheRetryDelay_UntilOneCommits()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), "chain-key");
        using var writer = new LogChainWriter(provider, TimeProvider.System, NullLogger.Instance, TimeSpan.Zero, TimeSpan.FromHours(1));
        LogChainEntries[] committed = [LogChainEntries.Of(Record(s_tenantA, DateTimeOffset.UtcNow))];
        writer.Committed(committed, []);
        LogChainEntries[] next = [LogChainEntries.Of(Record(s_tenantA, DateTimeOffset.UtcNow))];
        Assert.IsEmpty(writer.SealIfDue(next, force: false), "an hour's interval: not due");

        writer.SealFailed();

        Assert.IsTrue(writer.SealFailing);
        Assert.IsTrue(writer.SealDueIn is { } delay && delay > TimeSpan.FromMilliseconds(500) && delay <= TimeSpan.FromSeconds(1), $"retry in {writer.SealDueIn}");
        var digests = writer.SealIfDue(next, force: false);
        Assert.AreEqual(2, digests.Single().EntryCount, "while sealing fails, a group with rows carries the seal");
        writer.SealFailed();
        Assert.IsTrue(writer.SealDueIn > TimeSpan.FromSeconds(1), $"the delay doubles: {writer.SealDueIn}");

        writer.Committed(next, digests);

        Assert.IsFalse(writer.SealFailing);
        Assert.AreEqual(0, writer.UnsealedCount);
        Assert.IsNull(writer.SealDueIn);
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
