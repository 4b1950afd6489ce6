namespace KeyInfra.Sample.Tests;

[TestClass]
public sealed class DevelopmentMasterKeyTests
{
    [TestMethod]
    public async Task FirstRun_NoMasterKeyInEnvironment_CreatesOwnerOnlyKeyFileAndGitignore()
    {
        // Arrange
        using var workspace = new SampleWorkspace();

        // Act
        var result = await workspace.RunAsync("keys", "list");

        // Assert
        result.AssertExitCode(0);
        Assert.IsTrue(File.Exists(workspace.DevelopmentKeyPath));
        Assert.AreEqual(32, Convert.FromBase64String((await File.ReadAllTextAsync(workspace.DevelopmentKeyPath)).Trim()).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(workspace.DevelopmentKeyPath));
        }

        Assert.AreEqual("*", File.ReadAllLines(Path.Combine(workspace.DataDirectory, ".gitignore"))[^1]);
        StringAssert.Contains(result.Error, "DEVELOPMENT MASTER KEY");
        Assert.IsFalse(result.Error.Contains(File.ReadAllText(workspace.DevelopmentKeyPath).Trim(), StringComparison.Ordinal), "the key itself is never printed");
    }

    [TestMethod]
    public async Task Run_DamagedKeyFile_ExitsTwoAndKeepsTheFile()
    {
        // Arrange
        using var workspace = new SampleWorkspace();
        Directory.CreateDirectory(workspace.DataDirectory);
        await File.WriteAllTextAsync(workspace.DevelopmentKeyPath, "not a key");

        // Act
        var result = await workspace.RunAsync("keys", "list");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "is damaged");
        Assert.AreEqual("not a key", await File.ReadAllTextAsync(workspace.DevelopmentKeyPath), "a damaged key is never replaced");
    }

    [TestMethod]
    public async Task Run_CustomDatabasePath_KeepsDatabaseAndKeyTogetherThere()
    {
        // Arrange
        using var workspace = new SampleWorkspace();

        // Act
        var result = await workspace.RunAsync("keys", "list", "--db", "data/other.db");

        // Assert
        result.AssertExitCode(0);
        Assert.IsTrue(File.Exists(workspace.PathOf("data/other.db")));
        Assert.IsTrue(File.Exists(workspace.PathOf("data/dev-master.key")));
        Assert.IsFalse(Directory.Exists(workspace.DataDirectory));
    }
}
