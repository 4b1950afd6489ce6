using System.Net;
using KeyInfra.Authorization;

namespace KeyInfra.Core.Tests.Authorization;

[TestClass]
public sealed class CallerTests
{
    [TestMethod]
    [DataRow(CallerKind.User, "user:42")]
    [DataRow(CallerKind.Application, "app:42")]
    [DataRow(CallerKind.System, "system:42")]
    public void Constructor_EachKind_StableIdIsThePrefixAndTheId(CallerKind kind, string expected)
    {
        var caller = new Caller(kind, "42", "Forty-two", IPAddress.Loopback, "req-1");

        Assert.AreEqual(expected, caller.StableId);
        Assert.AreEqual(expected, caller.ToString());
        Assert.AreEqual("42", caller.Id);
        Assert.AreEqual(kind, caller.Kind);
        Assert.AreEqual("Forty-two", caller.DisplayName);
        Assert.AreEqual(IPAddress.Loopback, caller.RemoteAddress);
        Assert.AreEqual("req-1", caller.RequestId);
    }

    [TestMethod]
    public void Factories_EachKind_MatchTheConstructor()
    {
        Assert.AreEqual("user:u", Caller.ForUser("u").StableId);
        Assert.AreEqual("app:a", Caller.ForApplication("a", "A").StableId);
        Assert.AreEqual("system:s", Caller.ForSystem("s").StableId);
        Assert.IsNull(Caller.ForUser("u").DisplayName);
    }

    [TestMethod]
    public void WithOrigin_AddressAndRequestId_KeepsWhoAndAddsWhereFrom()
    {
        var caller = Caller.ForUser("u", "U").WithOrigin(IPAddress.IPv6Loopback, "trace-7");

        Assert.AreEqual("user:u", caller.StableId);
        Assert.AreEqual("U", caller.DisplayName);
        Assert.AreEqual(IPAddress.IPv6Loopback, caller.RemoteAddress);
        Assert.AreEqual("trace-7", caller.RequestId);
    }

    [TestMethod]
    public void Constructor_StableIdOfExactlyMaxLength_IsAccepted()
    {
        var id = new string('a', Caller.MaxLength - "user:".Length);

        Assert.AreEqual(Caller.MaxLength, Caller.ForUser(id).StableId.Length);
    }

    [TestMethod]
    public void Constructor_StableIdOverMaxLength_Throws()
        => Assert.ThrowsExactly<ArgumentException>(() => Caller.ForUser(new string('a', Caller.MaxLength - "user:".Length + 1)));

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow("line\nbreak")]
    [DataRow("nul\0")]
    [DataRow("tab\tid")]
    [DataRow("del\u007f")]
    public void Constructor_BadId_Throws(string id)
        => Assert.ThrowsExactly<ArgumentException>(() => Caller.ForApplication(id));

    [TestMethod]
    [DataRow("")]
    [DataRow("two\r\nlines")]
    public void Constructor_BadDisplayNameOrRequestId_Throws(string value)
    {
        Assert.ThrowsExactly<ArgumentException>(() => Caller.ForUser("u", value));
        Assert.ThrowsExactly<ArgumentException>(() => new Caller(CallerKind.User, "u", requestId: value));
    }

    [TestMethod]
    public void Constructor_UnpairedSurrogateInAnyString_Throws()
    {
        // Built here, not in attributes: attribute strings are stored as UTF-8, which cannot hold a lone surrogate.
        string[] values = ["unpaired \ud800 high", "unpaired \udc00 low", "reversed \udc00\ud800 pair", "trailing high \ud83d"];
        foreach (var value in values)
        {
            Assert.ThrowsExactly<ArgumentException>(() => Caller.ForApplication(value));
            Assert.ThrowsExactly<ArgumentException>(() => Caller.ForUser("u", value));
            Assert.ThrowsExactly<ArgumentException>(() => new Caller(CallerKind.User, "u", requestId: value));
        }
    }

    [TestMethod]
    public void Constructor_DisplayNameOverMaxLength_Throws()
        => Assert.ThrowsExactly<ArgumentException>(() => Caller.ForUser("u", new string('n', Caller.MaxLength + 1)));

    [TestMethod]
    public void Constructor_PairedSurrogatesAndNonAscii_AreAccepted()
    {
        var caller = Caller.ForUser("Zoë 🔑", "Ünïcødé 👤");

        Assert.AreEqual("user:Zoë 🔑", caller.StableId);
    }

    [TestMethod]
    public void Constructor_UndefinedKindOrNullId_Throws()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Caller((CallerKind)0, "u"));
        Assert.ThrowsExactly<ArgumentNullException>(() => new Caller(CallerKind.User, null!));
    }
}
