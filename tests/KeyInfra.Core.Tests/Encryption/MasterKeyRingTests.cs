using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Tests;

namespace KeyInfra.Core.Tests.Encryption;

[TestClass]
public sealed class MasterKeyRingTests
{
    [TestMethod]
    public void Constructor_CurrentAndPrevious_FindsEachByIdAndNothingElse()
    {
        var current = new MasterKey(TestMasterKeys.NewKey(), "current");
        var old = new MasterKey(TestMasterKeys.NewKey(), "old");

        using var ring = new MasterKeyRing(current, [old]);

        Assert.AreSame(current, ring.Current);
        Assert.AreSame(current, ring.Find("current"));
        Assert.AreSame(old, ring.Find("old"));
        Assert.IsNull(ring.Find("other"));
        Assert.AreEqual(1, ring.PreviousCount);
    }

    [TestMethod]
    public void Constructor_TwoDifferentKeysWithOneId_ThrowsMalformedAndZeroesEveryKey()
    {
        var current = new MasterKey(TestMasterKeys.NewKey(), "shared");
        var other = new MasterKey(TestMasterKeys.NewKey(), "shared");
        var notReached = new MasterKey(TestMasterKeys.NewKey(), "later");

        var e = Assert.ThrowsExactly<MasterKeyException>(() => new MasterKeyRing(current, [other, notReached]));

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(current));
        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(other));
        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(notReached));
    }

    [TestMethod]
    public void Constructor_SameKeyBytesTwiceUnderOneId_KeepsOne()
    {
        var bytes = TestMasterKeys.NewKey();
        var current = new MasterKey(bytes);
        var again = new MasterKey(bytes);

        using var ring = new MasterKeyRing(current, [again, current]);

        Assert.AreEqual(0, ring.PreviousCount);
        Assert.AreSame(current, ring.Find(current.Id));
        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(again));
    }

    [TestMethod]
    public void Constructor_KeyOfAnotherRing_ThrowsArgumentAndLeavesThatRingIntact()
    {
        using var first = new MasterKeyRing(new MasterKey(TestMasterKeys.NewKey(), "taken"));
        var fresh = new MasterKey(TestMasterKeys.NewKey(), "fresh");

        Assert.ThrowsExactly<ArgumentException>(() => new MasterKeyRing(fresh, [first.Current]));

        Assert.IsFalse(SwitchableMasterKeySource.IsZeroed(first.Current));
        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(fresh));
    }

    [TestMethod]
    public void Constructor_PreviousKeysFailToEnumerate_ZeroesTheCurrentKey()
    {
        var current = new MasterKey(TestMasterKeys.NewKey());
        var first = new MasterKey(TestMasterKeys.NewKey());

        Assert.ThrowsExactly<InvalidOperationException>(() => new MasterKeyRing(current, Failing(first)));

        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(current));
    }

    [TestMethod]
    public void Constructor_DisposedKey_ThrowsArgument()
    {
        var disposed = new MasterKey(TestMasterKeys.NewKey());
        disposed.Dispose();

        Assert.ThrowsExactly<ArgumentException>(() => new MasterKeyRing(disposed));
    }

    [TestMethod]
    public void Dispose_RingNeverPublished_ZeroesItsKeys()
    {
        var current = new MasterKey(TestMasterKeys.NewKey());
        var old = new MasterKey(TestMasterKeys.NewKey());
        var ring = new MasterKeyRing(current, [old]);

        ring.Dispose();

        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(current));
        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(old));
    }

    [TestMethod]
    public void MasterKeyDispose_KeyOwnedByARing_LeavesTheKeyIntact()
    {
        using var ring = new MasterKeyRing(new MasterKey(TestMasterKeys.NewKey()));

        ring.Current.Dispose();

        Assert.IsFalse(SwitchableMasterKeySource.IsZeroed(ring.Current));
    }

    [TestMethod]
    public void ToString_Always_ShowsIdsOnly()
    {
        var bytes = TestMasterKeys.NewKey();
        using var ring = new MasterKeyRing(new MasterKey(bytes, "prod-1"));

        var text = ring.ToString();

        Assert.Contains("prod-1", text);
        Assert.DoesNotContain(Convert.ToBase64String(bytes)[..8], text);
        Assert.DoesNotContain(Convert.ToHexString(bytes)[..8], text, StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<MasterKey> Failing(MasterKey first)
    {
        yield return first;
        throw new InvalidOperationException("The source of previous keys failed.");
    }
}
