using System.Security.Cryptography;
using KeyInfra.Encryption;

namespace KeyInfra.Core.Tests.Encryption;

[TestClass]
public sealed class MasterKeyCheckValueTests
{
    [TestMethod]
    public void CreateV2_Strict_ReadsBackStrictUnderTheSameKey()
    {
        using var key = new MasterKey(RandomNumberGenerator.GetBytes(32));

        var value = MasterKeyCheckValue.CreateV2(key, CheckValueFlags.RowsAuthenticated);
        var reading = MasterKeyCheckValue.Read(key, value);

        Assert.HasCount(34, value);
        Assert.AreEqual(0x02, value[0]);
        Assert.AreEqual(0x01, value[1]);
        Assert.IsTrue(reading.Matches);
        Assert.IsTrue(reading.Strict);
        Assert.IsTrue(key.MatchesCheckValue(value));
    }

    [TestMethod]
    public void Read_FlagByteFlippedByWriter_Mismatch()
    {
        using var key = new MasterKey(RandomNumberGenerator.GetBytes(32));
        var value = MasterKeyCheckValue.CreateV2(key, CheckValueFlags.RowsAuthenticated);

        value[1] = 0x00;

        Assert.IsFalse(MasterKeyCheckValue.Read(key, value).Matches);
    }

    [TestMethod]
    public void Read_AnotherKeysValue_Mismatch()
    {
        using var key = new MasterKey(RandomNumberGenerator.GetBytes(32));
        using var other = new MasterKey(RandomNumberGenerator.GetBytes(32));

        var reading = MasterKeyCheckValue.Read(key, MasterKeyCheckValue.CreateV2(other, CheckValueFlags.None));

        Assert.IsFalse(reading.Matches);
        Assert.IsFalse(key.MatchesCheckValue(other.ComputeCheckValue()));
    }

    [TestMethod]
    public void Read_V1Value_MatchesAndIsNotStrict()
    {
        using var key = new MasterKey(RandomNumberGenerator.GetBytes(32));

        var reading = MasterKeyCheckValue.Read(key, key.ComputeCheckValue());

        Assert.AreEqual(CheckValueReading.V1, reading);
        Assert.IsFalse(reading.Strict);
    }

    [TestMethod]
    public void CreateV2_UsesTheCheckValueSubkey_NotTheMasterKey()
    {
        using var key = new MasterKey(RandomNumberGenerator.GetBytes(32));
        var value = MasterKeyCheckValue.CreateV2(key, CheckValueFlags.None);

        var expected = HMACSHA256.HashData(key.Subkey(MasterKeyPurpose.CheckValue), [.. "KeyInfra key check value v2"u8, 0x00]);
        var underMasterKey = HMACSHA256.HashData(key.KeyBytes, [.. "KeyInfra key check value v2"u8, 0x00]);

        CollectionAssert.AreEqual(expected, value[2..]);
        CollectionAssert.AreNotEqual(underMasterKey, value[2..]);
    }

    [TestMethod]
    public void Read_UnknownFlagUnderValidMac_UnknownFlags()
    {
        using var key = new MasterKey(RandomNumberGenerator.GetBytes(32));

        var reading = MasterKeyCheckValue.Read(key, MasterKeyCheckValue.CreateV2(key, (CheckValueFlags)0x05));

        Assert.AreEqual(CheckValueReading.UnknownFlags, reading);
        Assert.IsFalse(reading.Matches);
    }

    [TestMethod]
    public void Read_RetiredAndStrict_ReadsBothFlags()
    {
        using var key = new MasterKey(RandomNumberGenerator.GetBytes(32));

        var reading = MasterKeyCheckValue.Read(key, MasterKeyCheckValue.CreateV2(key, CheckValueFlags.Retired | CheckValueFlags.RowsAuthenticated));

        Assert.IsTrue(reading.Matches);
        Assert.IsTrue(reading.Retired);
        Assert.IsTrue(reading.Strict);
        Assert.IsFalse(MasterKeyCheckValue.Read(key, MasterKeyCheckValue.CreateV2(key, CheckValueFlags.RowsAuthenticated)).Retired);
    }
}
