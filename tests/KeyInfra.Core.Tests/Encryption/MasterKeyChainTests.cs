using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Core.Tests.Encryption;

[TestClass]
public sealed class MasterKeyChainTests
{
    [TestMethod]
    public async Task Lease_WrapsUnderTheCurrentSourceAndHoldsEveryKeyOfEverySource()
    {
        var older = SwitchableMasterKeySource.NewKey();
        using var chain = Chain(
            new SwitchableMasterKeySource("azure-1", SwitchableMasterKeySource.NewKey()),
            TestMasterKeys.Provider(SwitchableMasterKeySource.NewKey(), "env-2", TestMasterKeys.Previous("env-1", older)));

        using var lease = await chain.AcquireRingAsync();

        Assert.AreEqual("azure-1", lease.Ring.Current.Id);
        CollectionAssert.AreEqual(new[] { "azure-1", "env-2", "env-1" }, lease.Ring.KeyIds.ToArray());
        Assert.IsTrue(lease.Ring.Find("env-1")!.MatchesCheckValue(new MasterKey(older, "env-1").ComputeCheckValue()));
    }

    [TestMethod]
    public async Task Lease_NoSourceChanged_IsOnTheSameRing()
    {
        using var chain = Chain(new SwitchableMasterKeySource("a", SwitchableMasterKeySource.NewKey()), new SwitchableMasterKeySource("b", SwitchableMasterKeySource.NewKey()));

        using var first = await chain.AcquireRingAsync();
        using var second = await chain.AcquireRingAsync();

        Assert.AreSame(first.Ring, second.Ring);
    }

    [TestMethod]
    public async Task Lease_AfterAnySourcePublishedNewKeys_HasThem_AndTheOldLeaseKeepsItsKeysUntilReleased()
    {
        var current = new SwitchableMasterKeySource("a", SwitchableMasterKeySource.NewKey());
        var previous = new SwitchableMasterKeySource("b", SwitchableMasterKeySource.NewKey());
        using var chain = Chain(current, previous);
        var old = await chain.AcquireRingAsync();
        var oldCurrent = old.Ring.Current;

        var rotated = previous.Rotate();
        current.MakeCurrent("a-2", SwitchableMasterKeySource.NewKey());

        using (var lease = await chain.AcquireRingAsync())
        {
            Assert.AreEqual("a-2", lease.Ring.Current.Id);
            CollectionAssert.AreEquivalent(new[] { "a-2", "a", rotated, "b" }, lease.Ring.KeyIds.ToArray());
        }

        // The superseded chain ring is intact while leased, and zeroed when its last lease goes.
        Assert.IsFalse(SwitchableMasterKeySource.IsZeroed(oldCurrent));
        old.Dispose();
        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(oldCurrent));
    }

    [TestMethod]
    public async Task Lease_APreviousSourceFails_FailsWithKI2007NamingThatSource()
    {
        using var chain = Chain(new SwitchableMasterKeySource("a", SwitchableMasterKeySource.NewKey()), new FailingSource());

        var e = await Assert.ThrowsExactlyAsync<MasterKeyException>(async () => await chain.AcquireRingAsync());

        Assert.AreEqual(ErrorCodes.MasterKeySourceFailed, e.ErrorCode);
        Assert.Contains("previous 1 (FailingSource)", e.Message);
        Assert.Contains("KI7999", e.Message);
        Assert.IsInstanceOfType<MasterKeyException>(e.InnerException);
    }

    [TestMethod]
    public async Task Lease_TwoSourcesGiveDifferentKeysOneId_FailsWithKI2002()
    {
        using var chain = Chain(new SwitchableMasterKeySource("same", SwitchableMasterKeySource.NewKey()), new SwitchableMasterKeySource("same", SwitchableMasterKeySource.NewKey()));

        var e = await Assert.ThrowsExactlyAsync<MasterKeyException>(async () => await chain.AcquireRingAsync());

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
        Assert.Contains("'same'", e.Message);
    }

    [TestMethod]
    public async Task Lease_TheSameKeyFromTwoSources_IsKeptOnce()
    {
        var key = SwitchableMasterKeySource.NewKey();
        using var chain = Chain(new SwitchableMasterKeySource("k", key), new SwitchableMasterKeySource("k", key));

        using var lease = await chain.AcquireRingAsync();

        CollectionAssert.AreEqual(new[] { "k" }, lease.Ring.KeyIds.ToArray());
    }

    [TestMethod]
    public async Task UseMasterKeyChain_ResolvesAChainOfTheConfiguredSources_AndDisposesWhatItMade()
    {
        var currentKey = SwitchableMasterKeySource.NewKey();
        var previous = new SwitchableMasterKeySource("vault-1", SwitchableMasterKeySource.NewKey());
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKeyInfrastructure().UseMasterKeyChain(chain => chain
            .Current(source => source.UseEnvironmentMasterKey(o =>
            {
                o.MasterKey = Convert.ToBase64String(currentKey);
                o.MasterKeyId = "env-1";
            }))
            .Previous(source => source.UseMasterKeySource(_ => previous)));

        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IEncryptionKeyProvider)));
        var provider = services.BuildServiceProvider();
        using (var lease = await provider.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync())
        {
            Assert.AreEqual("env-1", lease.Ring.Current.Id);
            CollectionAssert.AreEqual(new[] { "env-1", "vault-1" }, lease.Ring.KeyIds.ToArray());
        }

        await provider.DisposeAsync();
        await Assert.ThrowsExactlyAsync<ObjectDisposedException>(async () => await previous.AcquireRingAsync());
    }

    [TestMethod]
    public void UseMasterKeyChain_WithoutACurrentSource_Throws()
    {
        var builder = new ServiceCollection().AddKeyInfrastructure();

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => builder.UseMasterKeyChain(chain => chain.Previous(s => s.UseEnvironmentMasterKey())));

        Assert.Contains("no current source", e.Message);
    }

    [TestMethod]
    public void UseMasterKeyChain_AnActionThatRegistersNoSource_Throws()
    {
        var builder = new ServiceCollection().AddKeyInfrastructure();

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => builder.UseMasterKeyChain(chain => chain.Current(_ => { })));

        Assert.Contains("registered no master key source", e.Message);
    }

    [TestMethod]
    public void UseMasterKeyChain_TheSameSourceTwice_FailsWhenResolved()
    {
        var shared = new SwitchableMasterKeySource("one", SwitchableMasterKeySource.NewKey());
        var services = new ServiceCollection();
        services.AddKeyInfrastructure().UseMasterKeyChain(chain => chain
            .Current(s => s.UseMasterKeySource(_ => shared))
            .Previous(s => s.UseMasterKeySource(_ => shared)));
        using var provider = services.BuildServiceProvider();

        var e = Assert.ThrowsExactly<ArgumentException>(() => provider.GetRequiredService<IEncryptionKeyProvider>());

        Assert.Contains("same source twice", e.Message);
    }

    private static MasterKeyChain Chain(params IEncryptionKeyProvider[] sources)
        => new MasterKeyChain([.. sources.Select((s, i) => new MasterKeyChain.ChainLink(i == 0 ? $"current ({s.GetType().Name})" : $"previous {i} ({s.GetType().Name})", s, Owned: true))]);

    private sealed class FailingSource : MasterKeySourceBase
    {
        protected override ValueTask<MasterKeyRing> LoadRingAsync(CancellationToken cancellationToken)
            => throw new MasterKeyException("KI7999", "the store is down");
    }
}
