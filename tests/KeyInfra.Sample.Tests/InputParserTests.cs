using KeyInfra.Keys;
using KeyInfra.Sample.Input;
using KeyInfra.Verification;

namespace KeyInfra.Sample.Tests;

[TestClass]
public sealed class InputParserTests
{
    [TestMethod]
    [DataRow("AQID", new byte[] { 1, 2, 3 })]
    [DataRow("AQ==", new byte[] { 1 })]
    public void ParseBase64_Canonical_Decodes(string text, byte[] expected)
    {
        // Act
        var bytes = InputParser.ParseBase64(text, "--signature", 1024);

        // Assert
        CollectionAssert.AreEqual(expected, bytes);
    }

    [TestMethod]
    [DataRow("AQ")]
    [DataRow("AR==")]
    [DataRow("AQID\n")]
    [DataRow("AQ-_")]
    [DataRow("")]
    public void ParseBase64_NonCanonicalOrInvalid_Throws(string text)
    {
        // Act / Assert
        var e = Assert.ThrowsExactly<UsageException>(() => InputParser.ParseBase64(text, "--signature", 1024));
        StringAssert.StartsWith(e.Message, "--signature");
    }

    [TestMethod]
    public void ParseBase64_LongerThanLimit_ThrowsBeforeDecoding()
    {
        // Act / Assert
        var e = Assert.ThrowsExactly<UsageException>(() => InputParser.ParseBase64(new string('A', 2000), "--signature", 1024));
        StringAssert.Contains(e.Message, "too long");
    }

    [TestMethod]
    [DataRow("invalid-signature", VerificationStatus.InvalidSignature)]
    [DataRow("KeyRevoked", VerificationStatus.KeyRevoked)]
    [DataRow("VALID", VerificationStatus.Valid)]
    public void ParseEnum_KebabOrName_Parses(string text, VerificationStatus expected)
    {
        // Act / Assert
        Assert.AreEqual(expected, InputParser.ParseEnum<VerificationStatus>(text, "--status"));
    }

    [TestMethod]
    public void ParseEnum_Number_IsRefused()
    {
        // Act / Assert
        var e = Assert.ThrowsExactly<UsageException>(() => InputParser.ParseEnum<RevocationReason>("1", "--reason"));
        StringAssert.Contains(e.Message, "key-compromise");
    }

    [TestMethod]
    public void ParseKeyId_ControlCharacters_AreNotEchoed()
    {
        // Act
        var e = Assert.ThrowsExactly<UsageException>(() => InputParser.ParseKeyId("abc\u001b[2Jdef", "--key"));

        // Assert
        Assert.IsFalse(e.Message.Contains('\u001b', StringComparison.Ordinal));
    }
}
