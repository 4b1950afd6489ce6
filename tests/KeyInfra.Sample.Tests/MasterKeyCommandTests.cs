using System.Security.Cryptography;
using System.Text.Json;

namespace KeyInfra.Sample.Tests;

/// <summary>
/// <c>master-key status|rewrap|retire</c>, as the rotation runbook of docs/key-sources.md uses them. Runs with master
/// key variables set; they are process-wide, so this class runs alone.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class MasterKeyCommandTests
{
    private const string MasterKeyVariable = "KEYINFRA_MASTER_KEY";
    private const string PreviousKeysVariable = "KEYINFRA_PREVIOUS_MASTER_KEYS";
    private const string CheckpointFile = "master-key-rewrap.checkpoint.json";

    private SavedEnvironment? _saved;

    [TestInitialize]
    public void SaveEnvironment() => _saved = new SavedEnvironment(MasterKeyVariable, PreviousKeysVariable);

    [TestCleanup]
    public void RestoreEnvironment() => _saved?.Restore();

    [TestMethod]
    public async Task Runbook_NewKeyCurrentOldPrevious_RewrapRetireThenTheOldKeyIsNotNeededAndCannotComeBack()
    {
        // Arrange: a key, a signature and its verification under the first master key.
        using var workspace = new SampleWorkspace();
        var oldKey = NewMasterKey();
        var newKey = NewMasterKey();
        Environment.SetEnvironmentVariable(MasterKeyVariable, oldKey);
        var keyId = await workspace.CreateKeyAsync("ecdsa-p256", "before the rotation");
        var signature = await workspace.SignAsync(keyId, "doc");
        (await workspace.RunAsync("verify", "--key", keyId, "--text", "doc", "--signature", signature)).AssertExitCode(0);
        Environment.SetEnvironmentVariable(MasterKeyVariable, newKey);
        Environment.SetEnvironmentVariable(PreviousKeysVariable, oldKey);

        // Act
        var before = await workspace.RunAsync("master-key", "status", "--json");
        var rewrap = await workspace.RunAsync("master-key", "rewrap");
        var after = await workspace.RunAsync("master-key", "status");
        var oldId = Keys(before).Single(k => !k.GetProperty("isCurrent").GetBoolean()).GetProperty("id").GetString()!;
        var retire = await workspace.RunAsync("master-key", "retire", oldId);
        Environment.SetEnvironmentVariable(PreviousKeysVariable, null);
        var sign = await workspace.RunAsync("sign", "--key", keyId, "--text", "after");
        var verifyLog = await workspace.RunAsync("log", "verify");
        Environment.SetEnvironmentVariable(MasterKeyVariable, oldKey);
        Environment.SetEnvironmentVariable(PreviousKeysVariable, newKey);
        var rollback = await workspace.RunAsync("keys", "list");

        // Assert
        before.AssertExitCode(0);
        var old = Keys(before).Single(k => k.GetProperty("id").GetString() == oldId);
        Assert.AreEqual(1, old.GetProperty("privateKeys").GetInt32());
        Assert.IsGreaterThanOrEqualTo(1, old.GetProperty("logDigests").GetInt32());
        Assert.IsFalse(old.GetProperty("canRetire").GetBoolean());
        rewrap.AssertExitCode(0);
        StringAssert.Contains(rewrap.Output, "Done: everything is under master key");
        StringAssert.Contains(rewrap.Error, " log-digests: ");
        StringAssert.Contains(rewrap.Error, " private-keys: 1 examined, 1 moved to the current key, 0 failed — done");
        after.AssertExitCode(0);
        StringAssert.Contains(after.Output, "CAN RETIRE");
        Assert.IsFalse(after.Output.Contains("is still used by", StringComparison.Ordinal), after.Output);
        retire.AssertExitCode(0);
        StringAssert.Contains(retire.Output, $"Master key {oldId} is retired");
        sign.AssertExitCode(0);
        verifyLog.AssertExitCode(0);
        Assert.AreEqual(2, rollback.ExitCode);
        StringAssert.Contains(rollback.Error, "KI2008");
        Assert.IsFalse(File.Exists(Path.Combine(workspace.DataDirectory, CheckpointFile)), "a finished run leaves no checkpoint");
    }

    [TestMethod]
    public async Task Retire_KeyStillUsed_ExitsTwoListingWhatUsesIt()
    {
        using var workspace = new SampleWorkspace();
        var oldKey = NewMasterKey();
        Environment.SetEnvironmentVariable(MasterKeyVariable, oldKey);
        await workspace.CreateKeyAsync("ed25519", "under the old key");
        Environment.SetEnvironmentVariable(MasterKeyVariable, NewMasterKey());
        Environment.SetEnvironmentVariable(PreviousKeysVariable, oldKey);
        var oldId = Keys(await workspace.RunAsync("master-key", "status", "--json")).Single(k => !k.GetProperty("isCurrent").GetBoolean()).GetProperty("id").GetString()!;

        var retire = await workspace.RunAsync("master-key", "retire", oldId);

        Assert.AreEqual(2, retire.ExitCode);
        StringAssert.Contains(retire.Error, "KI2007");
        StringAssert.Contains(retire.Error, "1 private key");
        StringAssert.Contains(retire.Error, "master-key rewrap");
    }

    [TestMethod]
    public async Task Rewrap_CheckpointLeftByACrash_ResumesAfterTheStepsItRecords_AndRestartIgnoresIt()
    {
        // Arrange: a rotation, and the checkpoint a run that crashed after its first step leaves.
        using var workspace = new SampleWorkspace();
        var oldKey = NewMasterKey();
        Environment.SetEnvironmentVariable(MasterKeyVariable, oldKey);
        await workspace.CreateKeyAsync("ecdsa-p256", "one");
        Environment.SetEnvironmentVariable(MasterKeyVariable, NewMasterKey());
        Environment.SetEnvironmentVariable(PreviousKeysVariable, oldKey);
        var currentId = Keys(await workspace.RunAsync("master-key", "status", "--json")).Single(k => k.GetProperty("isCurrent").GetBoolean()).GetProperty("id").GetString()!;
        var checkpoint = Path.Combine(workspace.DataDirectory, CheckpointFile);
        await File.WriteAllTextAsync(checkpoint, $$"""{"MasterKeyId":"{{currentId}}","FinishedSteps":["private-keys"]}""");

        // Act
        var resumed = await workspace.RunAsync("master-key", "rewrap", "--json");
        await File.WriteAllTextAsync(checkpoint, $$"""{"MasterKeyId":"{{currentId}}","FinishedSteps":["private-keys","key-rows","log-digests"]}""");
        var restarted = await workspace.RunAsync("master-key", "rewrap", "--restart", "--json");

        // Assert: the private keys step was skipped, so the old key still wraps the private key; --restart runs it.
        resumed.AssertExitCode(3);
        var root = resumed.Json().RootElement;
        Assert.AreEqual("private-keys", root.GetProperty("resumedFrom").GetProperty("finishedSteps")[0].GetString());
        Assert.AreEqual(JsonValueKind.Null, root.GetProperty("rewrapped").ValueKind);
        Assert.AreEqual(1, root.GetProperty("keyRows").GetProperty("reauthenticated").GetInt32());
        Assert.AreEqual(1, root.GetProperty("stillUsed")[0].GetProperty("privateKeys").GetInt32());
        restarted.AssertExitCode(0);
        Assert.AreEqual(1, restarted.Json().RootElement.GetProperty("rewrapped").GetInt32());
        Assert.AreEqual(JsonValueKind.Null, restarted.Json().RootElement.GetProperty("resumedFrom").ValueKind);
        Assert.IsFalse(File.Exists(checkpoint));
    }

    private static JsonElement.ArrayEnumerator Keys(SampleResult status) => status.Json().RootElement.GetProperty("keys").EnumerateArray();

    private static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
