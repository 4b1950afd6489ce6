using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sqlite.Tests;

/// <summary>A connection string may hold a password: neither the location's errors nor its <c>ToString</c> repeat it.</summary>
[TestClass]
public sealed class SqliteDatabaseLocationTests
{
    // A password with ';' and '=' in it, unquoted: the parser reads "zq9xw" as a keyword and names it in its error.
    private const string MalformedWithPassword = "Data Source=keys.db;Password=s3cr;zq9xw=et";

    [TestMethod]
    public void Parse_MalformedConnectionStringWithPassword_MessageHoldsNoFragmentOfIt()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => SqliteDatabaseLocation.Parse(MalformedWithPassword, "connectionString"));

        Assert.IsFalse(error.ToString().Contains("zq9xw", StringComparison.OrdinalIgnoreCase), error.ToString());
        Assert.IsFalse(error.Message.Contains("s3cr", StringComparison.Ordinal));
        Assert.IsNull(error.InnerException, "The parser's exception quotes the fragment; it is not passed on.");
        StringAssert.Contains(error.Message, "malformed");
        Assert.AreEqual("connectionString", error.ParamName);
    }

    [TestMethod]
    public void UseSqlite_MalformedConnectionStringWithPassword_MessageHoldsNoFragmentOfIt()
    {
        var builder = new ServiceCollection().AddKeyInfrastructure();

        var error = Assert.ThrowsExactly<ArgumentException>(() => builder.UseSqlite(MalformedWithPassword));

        Assert.IsFalse(error.ToString().Contains("zq9xw", StringComparison.OrdinalIgnoreCase), error.ToString());
    }

    [TestMethod]
    public void ToString_ConnectionStringWithPassword_NamesTheFileOnly()
    {
        var location = SqliteDatabaseLocation.Parse("Data Source=keys.db;Password=hunter2-secret", "connectionString");

        var text = location.ToString();

        Assert.IsFalse(text.Contains("hunter2-secret", StringComparison.Ordinal), text);
        Assert.IsFalse(text.Contains("Password", StringComparison.OrdinalIgnoreCase), text);
        StringAssert.Contains(text, Path.GetFullPath("keys.db"));
        StringAssert.Contains(location.ConnectionString, "hunter2-secret", "The connection string itself is kept for opening the file.");
    }
}
