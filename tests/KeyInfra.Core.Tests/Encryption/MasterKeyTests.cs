using KeyInfra.Encryption;

namespace KeyInfra.Core.Tests.Encryption;

[TestClass]
public sealed class MasterKeyTests
{
    // 00 01 02 ... 1f
    private static readonly byte[] SequentialKey = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    [TestMethod]
    public void Fingerprint_SequentialKey_MatchesHmacKnownAnswer()
    {
        // echo -n "KeyInfra master key id v1" | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1f
        //   = f006fe0db7318bd0cfa75f37458c8b4a502033e3ea853350025c4858965cb157; the id is its first 8 bytes.
        Assert.AreEqual("f006fe0db7318bd0", MasterKey.Fingerprint(SequentialKey));
    }

    [TestMethod]
    public void Constructor_NoId_UsesTheStableFingerprint()
    {
        using var first = new MasterKey(SequentialKey);
        using var second = new MasterKey(SequentialKey);

        Assert.AreEqual("f006fe0db7318bd0", first.Id);
        Assert.AreEqual(first.Id, second.Id);
    }

    [TestMethod]
    public void ComputeCheckValue_SequentialKey_MatchesHmacKnownAnswer()
    {
        // echo -n "KeyInfra key check value v1" | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1f
        using var key = new MasterKey(SequentialKey);

        Assert.AreEqual("1190a3a9097633243c8190858f8f8ae59d68a68b562a0f67d7803eb7eabd698e", Convert.ToHexStringLower(key.ComputeCheckValue()));
    }

    [TestMethod]
    public void MatchesCheckValue_OwnCheckValue_ReturnsTrue()
    {
        using var key = new MasterKey(TestMasterKeys.NewKey());

        Assert.IsTrue(key.MatchesCheckValue(key.ComputeCheckValue()));
    }

    [TestMethod]
    public void MatchesCheckValue_OtherKeysCheckValue_ReturnsFalse()
    {
        using var key = new MasterKey(TestMasterKeys.NewKey(), "same-id");
        using var other = new MasterKey(TestMasterKeys.NewKey(), "same-id");

        Assert.IsFalse(key.MatchesCheckValue(other.ComputeCheckValue()));
    }

    [TestMethod]
    [DataRow(0, false)]
    [DataRow(31, false)]
    [DataRow(31, true)]
    public void MatchesCheckValue_DamagedCheckValue_ReturnsFalse(int index, bool truncate)
    {
        using var key = new MasterKey(TestMasterKeys.NewKey());
        var check = key.ComputeCheckValue();
        if (truncate)
        {
            check = check[..index];
        }
        else
        {
            check[index] ^= 0x01;
        }

        Assert.IsFalse(key.MatchesCheckValue(check));
    }

    [TestMethod]
    public void ToString_Always_ShowsTheIdButNoKeyBytes()
    {
        var bytes = TestMasterKeys.NewKey();
        using var key = new MasterKey(bytes, "prod-1");

        var text = key.ToString();

        Assert.AreEqual("MasterKey(prod-1)", text);
        Assert.DoesNotContain(Convert.ToHexString(bytes[..4]), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(bytes)[..8], text);
    }

    [TestMethod]
    public void Dispose_KeyInUse_MakesTheKeyUnusable()
    {
        var key = new MasterKey(TestMasterKeys.NewKey());

        key.Dispose();

        Assert.ThrowsExactly<ObjectDisposedException>(() => key.ComputeCheckValue());
    }
}
