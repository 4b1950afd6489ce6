using KeyInfra.Encryption;
using KeyInfra.Errors;

namespace KeyInfra.Core.Tests.Encryption;

[TestClass]
public sealed class EnvironmentMasterKeyProviderTests
{
    private static readonly byte[] SequentialKey = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private static async Task<byte[]> CurrentKeyCheckValueAsync(EnvironmentMasterKeyOptions options)
    {
        using var provider = TestMasterKeys.Provider(options);
        using var lease = await provider.AcquireRingAsync();
        return lease.Ring.Current.ComputeCheckValue();
    }

    private static async Task<MasterKeyException> LoadFailsAsync(EnvironmentMasterKeyOptions options)
    {
        using var provider = TestMasterKeys.Provider(options);
        return await Assert.ThrowsExactlyAsync<MasterKeyException>(async () => await provider.AcquireRingAsync());
    }

    private static byte[] CheckValueOf(byte[] key)
    {
        using var masterKey = new MasterKey(key);
        return masterKey.ComputeCheckValue();
    }

    [TestMethod]
    public async Task AcquireRingAsync_Base64Key_DecodesItAndUsesTheFingerprintAsId()
    {
        using var provider = TestMasterKeys.Provider(new EnvironmentMasterKeyOptions { MasterKey = Convert.ToBase64String(SequentialKey) });

        using var lease = await provider.AcquireRingAsync();
        var key = lease.Ring.Current;

        Assert.AreEqual("f006fe0db7318bd0", key.Id);
        CollectionAssert.AreEqual(SequentialKey, key.KeyBytes.ToArray());
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task AcquireRingAsync_HexKeyInEitherCase_DecodesTheSameKey(bool upper)
    {
        var hex = upper ? Convert.ToHexString(SequentialKey) : Convert.ToHexStringLower(SequentialKey);

        var check = await CurrentKeyCheckValueAsync(new EnvironmentMasterKeyOptions { MasterKey = hex });

        CollectionAssert.AreEqual(CheckValueOf(SequentialKey), check);
    }

    [TestMethod]
    [DataRow(31)]
    [DataRow(33)]
    [DataRow(16)]
    [DataRow(64)]
    public async Task AcquireRingAsync_Base64OfWrongLength_ThrowsMalformed(int length)
    {
        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterKey = Convert.ToBase64String(new byte[length]) });

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
        Assert.Contains("KEYINFRA_MASTER_KEY", e.Message);
    }

    [TestMethod]
    [DataRow(31)]
    [DataRow(33)]
    public async Task AcquireRingAsync_HexOfWrongLength_ThrowsMalformed(int length)
    {
        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterKey = Convert.ToHexString(new byte[length]) });

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
    }

    [TestMethod]
    [DataRow("hex", 10, 'g')]
    [DataRow("hex", 63, 'x')]
    [DataRow("base64", 5, '*')]
    [DataRow("base64", 5, '-')]
    [DataRow("base64", 5, '_')]
    [DataRow("base64", 20, '=')]
    public async Task AcquireRingAsync_BadCharacter_ThrowsMalformed(string form, int index, char bad)
    {
        var text = (form == "hex" ? Convert.ToHexString(SequentialKey) : Convert.ToBase64String(SequentialKey)).ToCharArray();
        text[index] = bad;

        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterKey = new string(text) });

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
    }

    [TestMethod]
    [DataRow(" {0}")]
    [DataRow("{0}\n")]
    [DataRow("{0}\r\n")]
    [DataRow("{0}\t")]
    public async Task AcquireRingAsync_WhitespaceAroundKey_ThrowsMalformedSayingWhitespace(string format)
    {
        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterKey = string.Format(null, format, Convert.ToBase64String(SequentialKey)) });

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
        Assert.Contains("whitespace", e.Message);
    }

    [TestMethod]
    public async Task AcquireRingAsync_WhitespaceInsideBase64_ThrowsMalformed()
    {
        var text = Convert.ToBase64String(SequentialKey);

        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterKey = text[..20] + " " + text[20..] });

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
    }

    [TestMethod]
    public async Task AcquireRingAsync_Base64WithUnusedBitsSet_ThrowsMalformed()
    {
        // 32 bytes end in a 2-byte group: 16 bits in three symbols, the last two bits of the third unused.
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var text = Convert.ToBase64String(SequentialKey).ToCharArray();
        text[42] = Alphabet[Alphabet.IndexOf(text[42], StringComparison.Ordinal) | 0x01];
        Assert.HasCount(32, Convert.FromBase64String(new string(text)));

        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterKey = new string(text) });

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
    }

    [TestMethod]
    public async Task AcquireRingAsync_Base64WithoutPadding_ThrowsMalformed()
    {
        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterKey = Convert.ToBase64String(SequentialKey).TrimEnd('=') });

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
    }

    [TestMethod]
    public async Task AcquireRingAsync_MalformedKey_MessageDoesNotEchoTheValue()
    {
        var value = Convert.ToHexString(TestMasterKeys.NewKey())[..63] + "z";

        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterKey = value });

        Assert.DoesNotContain(value[..12], e.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(value[^12..], e.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [TestMethod]
    public async Task AcquireRingAsync_KeyAndSecretBothSet_ThrowsMalformedNamingBoth()
    {
        var secret = "an-unmistakable-master-secret-value-0123456789";

        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterKey = Convert.ToBase64String(SequentialKey), MasterSecret = secret });

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
        Assert.Contains("KEYINFRA_MASTER_KEY", e.Message);
        Assert.Contains("MASTER_SECRET", e.Message);
        Assert.DoesNotContain(secret, e.Message);
        Assert.DoesNotContain(Convert.ToBase64String(SequentialKey), e.Message);
    }

    [TestMethod]
    public async Task AcquireRingAsync_NothingSet_ThrowsMissingNamingTheVariablesAndHowToGenerate()
    {
        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { PreviousMasterKeys = Convert.ToBase64String(SequentialKey) });

        Assert.AreEqual(ErrorCodes.MasterKeyMissing, e.ErrorCode);
        Assert.Contains("KEYINFRA_MASTER_KEY", e.Message);
        Assert.Contains("MASTER_SECRET", e.Message);
        Assert.Contains("openssl rand -base64 32", e.Message);
        Assert.DoesNotContain(Convert.ToBase64String(SequentialKey), e.Message);
    }

    [TestMethod]
    public async Task AcquireRingAsync_CalledAgainAfterAFailure_FailsAgainWithTheSameCode()
    {
        using var provider = TestMasterKeys.Provider(new EnvironmentMasterKeyOptions());

        var first = await Assert.ThrowsExactlyAsync<MasterKeyException>(async () => await provider.AcquireRingAsync());
        var second = await Assert.ThrowsExactlyAsync<MasterKeyException>(async () => await provider.AcquireRingAsync());

        Assert.AreEqual(ErrorCodes.MasterKeyMissing, first.ErrorCode);
        Assert.AreEqual(ErrorCodes.MasterKeyMissing, second.ErrorCode);
    }

    [TestMethod]
    public async Task AcquireRingAsync_MasterSecretHkdfDevelopmentOnly_DerivesTheHkdfKnownAnswer()
    {
        // openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt key:correct-horse-battery-staple-0123456789 \
        //   -kdfopt salt:KeyInfra/v1/master-secret-salt -kdfopt info:KeyInfra/v1/master-key HKDF
        var expected = Convert.FromHexString("4305057354C97FA036094660C78414A0A348DED32024BF76C440759A5DF1EC6F");

        var check = await CurrentKeyCheckValueAsync(new EnvironmentMasterKeyOptions { MasterSecret = "correct-horse-battery-staple-0123456789", MasterSecretDerivation = MasterSecretDerivation.HkdfSha256DevelopmentOnly });

        CollectionAssert.AreEqual(CheckValueOf(expected), check);
    }

    [TestMethod]
    public async Task AcquireRingAsync_MasterSecretShorterThan32Characters_ThrowsMalformed()
    {
        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterSecret = new string('s', 31) });

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
        Assert.Contains("MASTER_SECRET", e.Message);
        Assert.Contains("32", e.Message);
    }

    [TestMethod]
    public async Task AcquireRingAsync_ExplicitId_UsesIt()
    {
        using var provider = TestMasterKeys.Provider(SequentialKey, id: "prod-2026.1");

        using var lease = await provider.AcquireRingAsync();
        var key = lease.Ring.Current;

        Assert.AreEqual("prod-2026.1", key.Id);
    }

    [TestMethod]
    [DataRow("has space")]
    [DataRow("slash/")]
    [DataRow("x12345678901234567890123456789012345678901234567890123456789012345")]
    public async Task AcquireRingAsync_InvalidExplicitId_ThrowsMalformed(string id)
    {
        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterKey = Convert.ToBase64String(SequentialKey), MasterKeyId = id });

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
        Assert.Contains("KEYINFRA_MASTER_KEY_ID", e.Message);
    }

    [TestMethod]
    public async Task AcquireRingAsync_PreviousKeysWithAndWithoutIds_FindsEachByItsId()
    {
        var withId = TestMasterKeys.NewKey();
        var withoutId = TestMasterKeys.NewKey();
        var previous = $"{TestMasterKeys.Previous("2025-q1", withId)}, {Convert.ToHexString(withoutId)},";
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), previous: previous);

        using var lease = await provider.AcquireRingAsync();
        var first = lease.Ring.Find("2025-q1");
        var second = lease.Ring.Find(MasterKey.Fingerprint(withoutId));
        var unknown = lease.Ring.Find("never-configured");

        Assert.IsNotNull(first);
        Assert.IsNotNull(second);
        Assert.IsTrue(first.MatchesCheckValue(CheckValueOf(withId)));
        Assert.IsTrue(second.MatchesCheckValue(CheckValueOf(withoutId)));
        Assert.IsNull(unknown);
    }

    [TestMethod]
    public async Task AcquireRingAsync_CurrentKeyId_ReturnsTheCurrentKey()
    {
        using var provider = TestMasterKeys.Provider(SequentialKey);

        using var lease = await provider.AcquireRingAsync();
        var current = lease.Ring.Current;
        var byId = lease.Ring.Find(current.Id);

        Assert.AreSame(current, byId);
    }

    [TestMethod]
    public async Task AcquireRingAsync_MalformedPreviousEntry_ThrowsNamingTheEntryNotTheValue()
    {
        var bad = Convert.ToBase64String(new byte[33]);
        var previous = $"{Convert.ToBase64String(TestMasterKeys.NewKey())},{bad}";

        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterKey = Convert.ToBase64String(SequentialKey), PreviousMasterKeys = previous });

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
        Assert.Contains("entry 2 of KEYINFRA_PREVIOUS_MASTER_KEYS", e.Message);
        Assert.DoesNotContain(bad[..16], e.Message);
    }

    [TestMethod]
    public async Task AcquireRingAsync_TwoDifferentKeysWithOneId_ThrowsMalformed()
    {
        var previous = TestMasterKeys.Previous("shared", TestMasterKeys.NewKey());

        var e = await LoadFailsAsync(new EnvironmentMasterKeyOptions { MasterKey = Convert.ToBase64String(SequentialKey), MasterKeyId = "shared", PreviousMasterKeys = previous });

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
        Assert.Contains("'shared'", e.Message);
    }

    [TestMethod]
    public async Task AcquireRingAsync_CurrentKeyAlsoListedAsPrevious_IsAccepted()
    {
        using var provider = TestMasterKeys.Provider(SequentialKey, previous: Convert.ToBase64String(SequentialKey));

        using var lease = await provider.AcquireRingAsync();
        var key = lease.Ring.Current;

        Assert.AreEqual(MasterKey.Fingerprint(SequentialKey), key.Id);
    }

    [TestMethod]
    public async Task Dispose_AfterUse_ZeroesTheKeysAndRefusesFurtherCalls()
    {
        var provider = TestMasterKeys.Provider(SequentialKey);
        MasterKey key;
        using (var lease = await provider.AcquireRingAsync())
        {
            key = lease.Ring.Current;
        }

        provider.Dispose();

        Assert.ThrowsExactly<ObjectDisposedException>(() => key.ComputeCheckValue());
        await Assert.ThrowsExactlyAsync<ObjectDisposedException>(async () => await provider.AcquireRingAsync());
    }

    [TestMethod]
    public async Task Dispose_WhileALeaseIsHeld_ZeroesTheKeysOnlyWhenTheLeaseGoes()
    {
        var provider = TestMasterKeys.Provider(SequentialKey);
        var lease = await provider.AcquireRingAsync();
        var key = lease.Ring.Current;

        provider.Dispose();
        var checkWhileLeased = key.ComputeCheckValue();
        lease.Dispose();

        CollectionAssert.AreEqual(CheckValueOf(SequentialKey), checkWhileLeased);
        Assert.ThrowsExactly<ObjectDisposedException>(() => key.ComputeCheckValue());
    }

    [TestMethod]
    public async Task AcquireRingAsync_CalledTwice_LeasesTheSameRing()
    {
        using var provider = TestMasterKeys.Provider(SequentialKey);

        using var first = await provider.AcquireRingAsync();
        using var second = await provider.AcquireRingAsync();

        Assert.AreSame(first.Ring, second.Ring);
    }
}
