namespace KeyInfra.Sample.Tests;

[TestClass]
public sealed class MigrateCommandTests
{
    [TestMethod]
    public async Task Status_FreshDatabase_ListsPendingAndDoesNotMigrate()
    {
        // Arrange
        using var workspace = new SampleWorkspace();

        // Act
        var first = await workspace.RunAsync("migrate", "status", "--json");
        var second = await workspace.RunAsync("migrate", "status", "--json");

        // Assert
        first.AssertExitCode(0);
        var root = second.Json().RootElement;
        Assert.AreEqual(0, root.GetProperty("applied").GetArrayLength(), "migrate commands never migrate on start");
        Assert.IsGreaterThan(0, root.GetProperty("pending").GetArrayLength());
        Assert.IsFalse(root.GetProperty("upToDate").GetBoolean());
    }

    [TestMethod]
    public async Task DownToZero_ThenUp_RevertsEverythingAndRestoresTheSchema()
    {
        // Arrange
        using var workspace = new SampleWorkspace();
        await workspace.CreateKeyAsync("ed25519", "lost on down");

        // Act
        var down = await workspace.RunAsync("migrate", "down", "0", "--json");
        var statusAfterDown = await workspace.RunAsync("migrate", "status");
        var up = await workspace.RunAsync("migrate", "up", "--json");
        var list = await workspace.RunAsync("keys", "list", "--json");

        // Assert
        down.AssertExitCode(0);
        Assert.AreEqual(0, down.Json().RootElement.GetProperty("applied").GetArrayLength());
        StringAssert.Contains(statusAfterDown.Output, "pending");
        up.AssertExitCode(0);
        Assert.IsTrue(up.Json().RootElement.GetProperty("upToDate").GetBoolean());
        list.AssertExitCode(0);
        Assert.AreEqual(0, list.Json().RootElement.GetProperty("items").GetArrayLength(), "down 0 dropped every table and its data");
    }

    [TestMethod]
    public async Task Down_WithoutTarget_ExitsTwo()
    {
        // Arrange
        using var workspace = new SampleWorkspace();

        // Act
        var result = await workspace.RunAsync("migrate", "down");

        // Assert
        result.AssertExitCode(2);
        Assert.IsFalse(Directory.Exists(workspace.DataDirectory), "bad input creates no database");
    }

    [TestMethod]
    public async Task Up_UnknownTarget_ExitsWithOneLineError()
    {
        // Arrange
        using var workspace = new SampleWorkspace();

        // Act
        var result = await workspace.RunAsync("migrate", "up", "NoSuchMigration");

        // Assert
        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.StartsWith(result.Error.Trim().Split('\n')[^1], "error:");
        Assert.IsFalse(result.Error.Contains("   at ", StringComparison.Ordinal), "no stack trace");
    }
}
