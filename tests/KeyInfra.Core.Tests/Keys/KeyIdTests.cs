using KeyInfra.Keys;

namespace KeyInfra.Core.Tests.Keys;

[TestClass]
public sealed class KeyIdTests
{
    [TestMethod]
    public void New_CalledTwice_IsTimeOrderedVersion7()
    {
        var first = KeyId.New();
        // UUIDv7 orders by millisecond; ids from the same millisecond are in random order.
        Thread.Sleep(2);
        var second = KeyId.New();

        Assert.AreEqual(7, first.Value.Version);
        Assert.AreNotEqual(first, second);
        Assert.IsLessThan(0, first.Value.CompareTo(second.Value), "UUIDv7 ids created later must sort later.");
    }

    [TestMethod]
    public void Parse_ToStringRoundTrip_ReturnsSameId()
    {
        var id = KeyId.New();

        var parsed = KeyId.Parse(id.ToString());

        Assert.AreEqual(id, parsed);
        Assert.AreEqual(36, id.ToString().Length);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("not-a-uuid")]
    [DataRow("0193a6f2-7c1e-7d3a-9b2f-5e4c3d2b1a0")]
    [DataRow("0193a6f2-7c1e-7d3a-9b2f-5e4c3d2b1a09'; DROP TABLE public_keys; --")]
    public void Parse_Malformed_ThrowsFormatExceptionWithExample(string text)
    {
        var ex = Assert.ThrowsExactly<FormatException>(() => KeyId.Parse(text));

        StringAssert.Contains(ex.Message, "UUID");
        Assert.IsFalse(KeyId.TryParse(text, out _));
    }

    [TestMethod]
    public void Parse_VeryLongInput_MessageIsTruncated()
    {
        var text = new string('x', 10_000);

        var ex = Assert.ThrowsExactly<FormatException>(() => KeyId.Parse(text));

        Assert.IsLessThan(300, ex.Message.Length);
    }
}
