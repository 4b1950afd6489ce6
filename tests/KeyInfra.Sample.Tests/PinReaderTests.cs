using System.Text;
using KeyInfra.Sample.Input;

namespace KeyInfra.Sample.Tests;

[TestClass]
public sealed class PinReaderTests
{
    [TestMethod]
    [DataRow("123456\n")]
    [DataRow("123456\r\n")]
    [DataRow("123456")]
    [DataRow("123456\nsecond line ignored\n")]
    public async Task FromStreamAsync_OneLine_ReturnsThePinWithoutItsLineBreak(string input)
    {
        // Arrange
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(input));

        // Act
        var pin = await PinReader.FromStreamAsync(stream, CancellationToken.None);

        // Assert
        Assert.AreEqual("123456", Encoding.UTF8.GetString(pin));
    }

    [TestMethod]
    public async Task FromStreamAsync_NonAsciiPin_KeepsItsUtf8Bytes()
    {
        // Arrange
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("pässwörd-€\n"));

        // Act
        var pin = await PinReader.FromStreamAsync(stream, CancellationToken.None);

        // Assert
        CollectionAssert.AreEqual(Encoding.UTF8.GetBytes("pässwörd-€"), pin);
    }

    [TestMethod]
    [DataRow("", "holds no PIN")]
    [DataRow("\n", "holds no PIN")]
    [DataRow("12\t34\n", "control character")]
    public async Task FromStreamAsync_NoPinOrControlCharacter_ThrowsUsageException(string input, string expected)
    {
        // Arrange
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(input));

        // Act
        var error = await Assert.ThrowsExactlyAsync<UsageException>(() => PinReader.FromStreamAsync(stream, CancellationToken.None));

        // Assert
        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    public async Task FromStreamAsync_LongerThanTheLimit_ThrowsBeforeReadingMore()
    {
        // Arrange: a stream far longer than a PIN, with no line break.
        var data = new byte[1024 * 1024];
        Array.Fill(data, (byte)'7');
        using var stream = new MemoryStream(data);

        // Act
        var error = await Assert.ThrowsExactlyAsync<UsageException>(() => PinReader.FromStreamAsync(stream, CancellationToken.None));

        // Assert
        StringAssert.Contains(error.Message, $"longer than {PinReader.MaxPinBytes} bytes");
        Assert.IsLessThanOrEqualTo(PinReader.MaxPinBytes + 2L, stream.Position, "no more than a line's worth was read");
    }

    [TestMethod]
    public async Task FromStreamAsync_InvalidUtf8_ThrowsUsageException()
    {
        // Arrange
        using var stream = new MemoryStream([0x31, 0x32, 0xff, 0x33, (byte)'\n']);

        // Act
        var error = await Assert.ThrowsExactlyAsync<UsageException>(() => PinReader.FromStreamAsync(stream, CancellationToken.None));

        // Assert
        StringAssert.Contains(error.Message, "not UTF-8");
    }

    [TestMethod]
    public void FromEnvironment_PinGivenInsteadOfAVariableName_ThrowsWithoutEchoingIt()
    {
        // Act
        var error = Assert.ThrowsExactly<UsageException>(() => PinReader.FromEnvironment("31415926"));

        // Assert
        Assert.DoesNotContain("31415926", error.Message, StringComparison.Ordinal);
        StringAssert.Contains(error.Message, "never the PIN itself");
    }

    [TestMethod]
    public void FromEnvironment_UnsetVariable_ThrowsNamingIt()
    {
        // Arrange
        var variable = "KEYINFRA_TEST_UNSET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

        // Act
        var error = Assert.ThrowsExactly<UsageException>(() => PinReader.FromEnvironment(variable));

        // Assert
        StringAssert.Contains(error.Message, variable);
    }
}
