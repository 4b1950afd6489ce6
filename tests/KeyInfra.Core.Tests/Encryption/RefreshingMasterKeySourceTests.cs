using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyInfra.Core.Tests.Encryption;

[TestClass]
public sealed class RefreshingMasterKeySourceTests
{
    [TestMethod]
    public async Task Refresh_NewRing_IsPublishedAndStatusNamesItsKey()
    {
        using var source = new ScriptedSource();
        using (var first = await source.AcquireRingAsync())
        {
            Assert.AreEqual("key-a", first.Ring.Current.Id);
        }

        source.Next = () => Task.FromResult<MasterKeyRing?>(Ring("key-b", "key-a"));
        await source.RefreshAsync();

        using var lease = await source.AcquireRingAsync();
        Assert.AreEqual("key-b", lease.Ring.Current.Id);
        Assert.IsNotNull(lease.Ring.Find("key-a"));
        Assert.AreEqual("key-b", source.Status.CurrentKeyId);
        Assert.IsNull(source.Status.LastFailureAt);
    }

    [TestMethod]
    public async Task Refresh_Fails_KeepsTheLastRingRecordsTheErrorAndTheHealthIsDegraded()
    {
        using var source = new ScriptedSource();
        using (await source.AcquireRingAsync())
        {
        }

        source.Next = () => throw new MasterKeyException("KI7999", "the store is down");
        await source.RefreshAsync();

        using (var lease = await source.AcquireRingAsync())
        {
            Assert.AreEqual("key-a", lease.Ring.Current.Id);
        }

        Assert.AreEqual("KI7999", source.Status.LastErrorCode);
        Assert.AreEqual(1, source.FailuresSeen);
        var result = await Check(source);
        Assert.AreEqual(HealthStatus.Degraded, result.Status);
        Assert.Contains("KI7999", result.Description!);

        source.Next = () => Task.FromResult<MasterKeyRing?>(null);
        await source.RefreshAsync();
        Assert.AreEqual(HealthStatus.Healthy, (await Check(source)).Status);
    }

    [TestMethod]
    public async Task HealthCheck_FirstLoadFails_UnhealthyWithTheCode()
    {
        using var source = new ScriptedSource { First = () => throw new MasterKeyException("KI7998", "no secret") };

        var result = await Check(source);

        Assert.AreEqual(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("KI7998", result.Description!);
        Assert.AreEqual("KI7998", source.Status.LastErrorCode);
    }

    [TestMethod]
    public async Task Timer_RefreshInterval_RefreshesOnItsOwn()
    {
        using var source = new ScriptedSource(TimeSpan.FromMilliseconds(100));
        using (await source.AcquireRingAsync())
        {
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (source.Refreshes < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.IsGreaterThanOrEqualTo(2, source.Refreshes);
    }

    [TestMethod]
    public async Task Dispose_StopsRefreshing()
    {
        var source = new ScriptedSource(TimeSpan.FromMilliseconds(100));
        using (await source.AcquireRingAsync())
        {
        }

        source.Dispose();
        var after = source.Refreshes;
        await Task.Delay(400);

        Assert.IsLessThanOrEqualTo(after + 1, source.Refreshes);
    }

    [TestMethod]
    public async Task Metrics_LoadAndAFailedRefresh_CountedBySourceKindAndErrorCode()
    {
        await using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var reads = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == KeyInfraInstruments.MasterKeySourceReads)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => reads.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
        using var source = new ScriptedSource(meterFactory: provider.GetRequiredService<IMeterFactory>());
        using (await source.AcquireRingAsync())
        {
        }

        source.Next = () => throw new MasterKeyException("KI7999", "down");
        await source.RefreshAsync();

        Assert.HasCount(2, reads);
        Assert.AreEqual("scripted", reads[0].Tags[KeyInfraInstruments.MasterKeySourceTag]);
        Assert.AreEqual("load", reads[0].Tags[KeyInfraInstruments.MasterKeySourceReadKindTag]);
        Assert.IsFalse(reads[0].Tags.ContainsKey(KeyInfraInstruments.ErrorTypeTag));
        Assert.AreEqual("refresh", reads[1].Tags[KeyInfraInstruments.MasterKeySourceReadKindTag]);
        Assert.AreEqual("KI7999", reads[1].Tags[KeyInfraInstruments.ErrorTypeTag]);
    }

    private static Task<HealthCheckResult> Check(RefreshingMasterKeySource source)
    {
        var check = new MasterKeySourceHealthCheck(source, "the scripted store");
        return check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("test", check, HealthStatus.Unhealthy, null) });
    }

    [TestMethod]
    public async Task TryFetch_AKeyIdTheRingLacks_ReadsOnceAndFindsIt_ThenReadsNoMoreWithinTheInterval()
    {
        using var source = new ScriptedSource();
        using (await source.AcquireRingAsync())
        {
        }

        source.Next = () => Task.FromResult<MasterKeyRing?>(Ring("key-b", "key-a"));
        Assert.IsTrue(await source.TryFetchAsync("key-b"), "another instance's new key, read at once");
        Assert.AreEqual(1, source.Refreshes);

        // Ids planted by a database writer: the store is asked at most once per interval.
        source.Next = () => Task.FromResult<MasterKeyRing?>(null);
        Assert.IsFalse(await source.TryFetchAsync("planted-1"));
        Assert.IsFalse(await source.TryFetchAsync("planted-2"));
        Assert.AreEqual(1, source.Refreshes);
        Assert.IsTrue(await source.TryFetchAsync("key-a"), "a key the ring holds needs no read");
        Assert.AreEqual(1, source.Refreshes);
    }

    [TestMethod]
    public async Task TryFetch_ThroughAChain_AsksTheSourceThatCanReadAndTheChainsRingHasTheKey()
    {
        var refreshing = new ScriptedSource();
        using var chain = new MasterKeyChain([
            new MasterKeyChain.ChainLink("current", new KeyInfra.Tests.SwitchableMasterKeySource("fixed", RandomNumberGenerator.GetBytes(32)), Owned: true),
            new MasterKeyChain.ChainLink("previous 1", refreshing, Owned: true)]);
        using (await chain.AcquireRingAsync())
        {
        }

        refreshing.Next = () => Task.FromResult<MasterKeyRing?>(Ring("key-b", "key-a"));

        Assert.IsTrue(await chain.TryFetchAsync("key-b"));
        using var lease = await chain.AcquireRingAsync();
        Assert.IsNotNull(lease.Ring.Find("key-b"));
        Assert.AreEqual("fixed", lease.Ring.Current.Id);
    }

    private static MasterKeyRing Ring(string current, params string[] previous)
        => new(new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes), current), previous.Select(id => new MasterKey(RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes), id)));

    private sealed class ScriptedSource(TimeSpan? interval = null, IMeterFactory? meterFactory = null)
        : RefreshingMasterKeySource(interval ?? TimeSpan.Zero, null, meterFactory, "scripted")
    {
        private int _refreshes;

        public Func<Task<MasterKeyRing>> First { get; init; } = () => Task.FromResult(Ring("key-a"));

        public Func<Task<MasterKeyRing?>> Next { get; set; } = () => Task.FromResult<MasterKeyRing?>(null);

        public int Refreshes => Volatile.Read(ref _refreshes);

        public int FailuresSeen { get; private set; }

        protected override Task<MasterKeyRing> ReadRingAsync(CancellationToken cancellationToken) => First();

        protected override Task<MasterKeyRing?> RefreshRingAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _refreshes);
            return Next();
        }

        protected override void OnRefreshFailed(MasterKeyException exception) => FailuresSeen++;
    }
}
