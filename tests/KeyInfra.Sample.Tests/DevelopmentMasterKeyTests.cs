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
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(workspace.DataDirectory), "The key's folder is 0700.");
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
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(workspace.DevelopmentKeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

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

    [TestMethod]
    public async Task Run_KeyFileReadableByOthers_ExitsTwoAndLeavesTheFileAlone()
    {
        // Arrange: a valid key file whose mode lets every user read it.
        using var workspace = new SampleWorkspace();
        var first = await workspace.RunAsync("keys", "list");
        first.AssertExitCode(0);
        if (OperatingSystem.IsWindows())
        {
            Assert.Inconclusive("File modes are a Unix notion.");
            return;
        }

        File.SetUnixFileMode(workspace.DevelopmentKeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        // Act
        var result = await workspace.RunAsync("keys", "list");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "mode 0644");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(workspace.DevelopmentKeyPath), "The mode is reported, not silently repaired.");
    }

    [TestMethod]
    public async Task Run_KeyFileIsASymbolicLink_ExitsTwo()
    {
        // Arrange: the key file is a link to a key someone else keeps elsewhere.
        using var workspace = new SampleWorkspace();
        Directory.CreateDirectory(workspace.DataDirectory);
        var elsewhere = workspace.PathOf("planted.key");
        await File.WriteAllTextAsync(elsewhere, Convert.ToBase64String(new byte[32]) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(elsewhere, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.CreateSymbolicLink(workspace.DevelopmentKeyPath, elsewhere);

        // Act
        var result = await workspace.RunAsync("keys", "list");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "symbolic link");
        Assert.IsFalse(File.Exists(workspace.PathOf(".keyinfra/keyinfra.db")), "No database is created under a refused key.");
    }

    [TestMethod]
    public async Task Run_KeyFileOwnedByAnotherUser_ExitsTwo()
    {
        // Arrange: a valid key file of mode 0600 that belongs to another user (only root can give a file away).
        using var workspace = new SampleWorkspace();
        var first = await workspace.RunAsync("keys", "list");
        first.AssertExitCode(0);
        if (!OperatingSystem.IsLinux() || NativeMethods.geteuid() != 0)
        {
            Assert.Inconclusive("Giving a file to another user needs root on Linux.");
        }

        Assert.AreEqual(0, NativeMethods.chown(workspace.DevelopmentKeyPath, 65534, 65534), "chown to nobody");

        // Act
        var result = await workspace.RunAsync("keys", "list");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "belongs to another user");
    }

    private static class NativeMethods
    {
        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true, CharSet = System.Runtime.InteropServices.CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int chown(string path, uint owner, uint group);

        [System.Runtime.InteropServices.DllImport("libc")]
        public static extern uint geteuid();
    }
}
