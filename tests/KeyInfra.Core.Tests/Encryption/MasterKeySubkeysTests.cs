using KeyInfra.Encryption;

namespace KeyInfra.Core.Tests.Encryption;

[TestClass]
public sealed class MasterKeySubkeysTests
{
    // 00 01 02 ... 1f
    private static readonly byte[] SequentialKey = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    // HKDF-SHA256 (RFC 5869), IKM = the key above, empty salt, info = "KeyInfra/v2/subkey/<purpose>", L = 32,
    // computed independently with Python's hmac module: PRK = HMAC(0^32, IKM); OKM = HMAC(PRK, info || 0x01).
    // Purposes by number (0 data-key wrap, 1 check value, 2 row authentication, 3 log chain): test methods are public.
    [TestMethod]
    [DataRow(0, "a8eaa1817ed399801f26cadd8ef234342d4ed7c89bb030f6343789e32aae54bc")]
    [DataRow(1, "ebfce29df045bb1836610f723e58025cf407f5f27152d28f23596fa0dabaf11a")]
    [DataRow(2, "3341f31512c63fd0f6eb8d24c598122f10c0519731b7d05ea0f0577fa0ce04e8")]
    [DataRow(3, "fd43f059021ac115eec2c8c6b96054f0e75c2195cff89c652f0d528da87c9385")]
    public void Subkey_SequentialKey_MatchesHkdfKnownAnswer(int purpose, string expected)
    {
        using var key = new MasterKey(SequentialKey);

        Assert.AreEqual(expected, Convert.ToHexStringLower(key.Subkey((MasterKeyPurpose)purpose)));
    }

    [TestMethod]
    public void Subkey_EveryPurpose_DiffersFromTheMasterKeyAndEachOther()
    {
        using var key = new MasterKey(SequentialKey);

        var all = Enum.GetValues<MasterKeyPurpose>().Select(p => Convert.ToHexString(key.Subkey(p))).Append(Convert.ToHexString(SequentialKey)).ToList();

        Assert.HasCount(MasterKeySubkeys.PurposeCount + 1, all.Distinct());
    }

    [TestMethod]
    public void Subkey_AfterDispose_Throws()
    {
        var key = new MasterKey(SequentialKey);
        key.Dispose();

        Assert.ThrowsExactly<ObjectDisposedException>(() => key.Subkey(MasterKeyPurpose.LogChain).ToArray());
    }
}
