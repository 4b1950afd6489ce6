using System.Security.Cryptography;

namespace KeyInfra.Sample.Tests;

/// <summary>Runs with master key variables set; they are process-wide, so this class runs alone.</summary>
[TestClass]
[DoNotParallelize]
public sealed class MasterKeyEnvironmentTests
{
    private const string MasterKeyVariable = "KEYINFRA_MASTER_KEY";
    private const string PreviousKeysVariable = "KEYINFRA_PREVIOUS_MASTER_KEYS";

    private SavedEnvironment? _saved;

    [TestInitialize]
    public void SaveEnvironment() => _saved = new SavedEnvironment(MasterKeyVariable, PreviousKeysVariable);

    [TestCleanup]
    public void RestoreEnvironment() => _saved?.Restore();

    [TestMethod]
    public async Task Run_MasterKeyVariableSet_UsesItAndCreatesNoDevelopmentKey()
    {
        // Arrange
        using var workspace = new SampleWorkspace();
        Environment.SetEnvironmentVariable(MasterKeyVariable, NewMasterKey());

        // Act
        var id = await workspace.CreateKeyAsync("ecdsa-p256", "env key");
        var signature = await workspace.SignAsync(id, "doc");
        var verify = await workspace.RunAsync("verify", "--key", id, "--text", "doc", "--signature", signature);

        // Assert
        verify.AssertExitCode(0);
        Assert.IsFalse(File.Exists(workspace.DevelopmentKeyPath), "no development key when the environment has one");
        Assert.IsFalse(verify.Error.Contains("DEVELOPMENT MASTER KEY", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task Run_WrongMasterKeyForDatabase_ExitsTwoWithMasterKeyErrorCode()
    {
        // Arrange
        using var workspace = new SampleWorkspace();
        Environment.SetEnvironmentVariable(MasterKeyVariable, NewMasterKey());
        await workspace.CreateKeyAsync("ed25519", "under the first key");
        Environment.SetEnvironmentVariable(MasterKeyVariable, NewMasterKey());

        // Act
        var result = await workspace.RunAsync("keys", "list");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "error: KI200");
        Assert.IsFalse(result.Error.Contains("   at ", StringComparison.Ordinal), "no stack trace");
    }

    [TestMethod]
    public async Task Reencrypt_AfterRotatingFromDevelopmentKey_RewrapsAndOldKeyIsNoLongerNeeded()
    {
        // Arrange: keys under the development key, then the documented rotation to an environment key.
        using var workspace = new SampleWorkspace();
        Environment.SetEnvironmentVariable(MasterKeyVariable, null);
        var id = await workspace.CreateKeyAsync("ecdsa-p256", "rotated master key");
        var developmentKey = (await File.ReadAllTextAsync(workspace.DevelopmentKeyPath)).Trim();
        Environment.SetEnvironmentVariable(MasterKeyVariable, NewMasterKey());
        Environment.SetEnvironmentVariable(PreviousKeysVariable, developmentKey);

        // Act
        var reencrypt = await workspace.RunAsync("reencrypt", "--json");
        Environment.SetEnvironmentVariable(PreviousKeysVariable, null);
        var sign = await workspace.RunAsync("sign", "--key", id, "--text", "after rotation");

        // Assert
        reencrypt.AssertExitCode(0);
        Assert.AreEqual(1, reencrypt.Json().RootElement.GetProperty("rewrapped").GetInt32());
        sign.AssertExitCode(0);
    }

    private static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
