using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Tests;

namespace KeyInfra.Core.Tests.Encryption;

[TestClass]
public sealed class MasterKeySourceBaseTests
{
    [TestMethod]
    public async Task AcquireRingAsync_ConcurrentFirstCalls_LoadTheRingOnce()
    {
        using var source = new GatedLoadSource();
        var calls = Enumerable.Range(0, 8).Select(_ => source.AcquireRingAsync().AsTask()).ToList();
        await source.LoadStarted;

        source.FinishLoad();
        var leases = await Task.WhenAll(calls);

        Assert.AreEqual(1, source.Loads);
        Assert.IsTrue(leases.All(l => ReferenceEquals(l.Ring, leases[0].Ring)));
        foreach (var lease in leases)
        {
            lease.Dispose();
        }
    }

    [TestMethod]
    public async Task AcquireRingAsync_LoadFailed_TriesAgainOnTheNextCall()
    {
        using var source = new GatedLoadSource { FailuresLeft = 1 };
        source.FinishLoad();

        var e = await Assert.ThrowsExactlyAsync<MasterKeyException>(async () => await source.AcquireRingAsync());
        using var lease = await source.AcquireRingAsync();

        Assert.AreEqual(ErrorCodes.MasterKeySourceFailed, e.ErrorCode);
        Assert.AreEqual(2, source.Loads);
        Assert.AreEqual("loaded", lease.Ring.Current.Id);
    }

    [TestMethod]
    public async Task Publish_WhileTwoLeasesHoldTheOldRing_ZeroesItOnlyWhenTheLastOneGoes()
    {
        using var source = new SwitchableMasterKeySource("old", TestMasterKeys.NewKey());
        var first = await source.AcquireRingAsync();
        var second = await source.AcquireRingAsync();
        var oldKey = first.Ring.Current;

        source.Rotate();
        var afterPublish = SwitchableMasterKeySource.IsZeroed(oldKey);
        first.Dispose();
        var afterFirstRelease = SwitchableMasterKeySource.IsZeroed(oldKey);
        second.Dispose();

        Assert.IsFalse(afterPublish);
        Assert.IsFalse(afterFirstRelease);
        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(oldKey));
        using var current = await source.AcquireRingAsync();
        Assert.AreEqual("gen-1", current.Ring.Current.Id);
        Assert.IsFalse(SwitchableMasterKeySource.IsZeroed(current.Ring.Current));
        Assert.IsNotNull(current.Ring.Find("old"));
    }

    [TestMethod]
    public async Task Publish_NoLeaseOnTheOldRing_ZeroesItAtOnce()
    {
        using var source = new SwitchableMasterKeySource("old", TestMasterKeys.NewKey());
        MasterKey oldKey;
        await using (var lease = await source.AcquireRingAsync())
        {
            oldKey = lease.Ring.Current;
        }

        source.Rotate();

        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(oldKey));
    }

    [TestMethod]
    public async Task LeaseDispose_CalledTwice_ReleasesOnce()
    {
        using var source = new SwitchableMasterKeySource("old", TestMasterKeys.NewKey());
        var kept = await source.AcquireRingAsync();
        var twice = await source.AcquireRingAsync();

        twice.Dispose();
        twice.Dispose();
        await twice.DisposeAsync();
        source.Rotate();

        Assert.IsFalse(SwitchableMasterKeySource.IsZeroed(kept.Ring.Current));
        Assert.ThrowsExactly<ObjectDisposedException>(() => twice.Ring);
        kept.Dispose();
        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(source.Rings[0][0]));
    }

    [TestMethod]
    public void Publish_RingPublishedBefore_ThrowsInvalidOperation()
    {
        using var source = new RepublishingSource();
        var ring = new MasterKeyRing(new MasterKey(TestMasterKeys.NewKey()));
        source.PublishRing(ring);

        Assert.ThrowsExactly<InvalidOperationException>(() => source.PublishRing(ring));
    }

    [TestMethod]
    public void Publish_AfterDispose_ThrowsAndZeroesTheRing()
    {
        var source = new RepublishingSource();
        source.Dispose();
        var ring = new MasterKeyRing(new MasterKey(TestMasterKeys.NewKey()));

        Assert.ThrowsExactly<ObjectDisposedException>(() => source.PublishRing(ring));

        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(ring.Current));
    }

    [TestMethod]
    public async Task Dispose_RingStillLeased_ZeroesItWhenTheLeaseGoesAndRefusesNewLeases()
    {
        var source = new SwitchableMasterKeySource("only", TestMasterKeys.NewKey());
        var lease = await source.AcquireRingAsync();

        source.Dispose();
        var whileLeased = SwitchableMasterKeySource.IsZeroed(lease.Ring.Current);
        lease.Dispose();

        Assert.IsFalse(whileLeased);
        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(source.Rings[0][0]));
        await Assert.ThrowsExactlyAsync<ObjectDisposedException>(async () => await source.AcquireRingAsync());
    }

    /// <summary>A source whose first load waits for the test, and can fail a given number of times first.</summary>
    private sealed class GatedLoadSource : MasterKeySourceBase
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _loads;

        public int FailuresLeft { get; set; }

        public int Loads => Volatile.Read(ref _loads);

        public Task LoadStarted => _started.Task;

        public void FinishLoad() => _finish.TrySetResult();

        protected override async ValueTask<MasterKeyRing> LoadRingAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _loads);
            _started.TrySetResult();
            await _finish.Task.WaitAsync(cancellationToken);
            if (FailuresLeft-- > 0)
            {
                throw new MasterKeyException(ErrorCodes.MasterKeySourceFailed, "The test source is unreachable this time.");
            }

            return new MasterKeyRing(new MasterKey(TestMasterKeys.NewKey(), "loaded"));
        }
    }

    /// <summary>A source that publishes whatever ring the test hands it.</summary>
    private sealed class RepublishingSource : MasterKeySourceBase
    {
        public void PublishRing(MasterKeyRing ring) => Publish(ring);

        protected override ValueTask<MasterKeyRing> LoadRingAsync(CancellationToken cancellationToken)
            => throw new MasterKeyException(ErrorCodes.MasterKeyMissing, "Nothing published yet.");
    }
}
