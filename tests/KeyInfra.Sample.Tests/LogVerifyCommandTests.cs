using Microsoft.Data.Sqlite;

namespace KeyInfra.Sample.Tests;

[TestClass]
public sealed class LogVerifyCommandTests
{
    [TestMethod]
    public async Task LogVerify_UntouchedLog_IsCleanWithExitCodeZero()
    {
        // Arrange
        using var workspace = new SampleWorkspace();
        var id = await workspace.CreateKeyAsync("ed25519", "audited");
        var signature = await workspace.SignAsync(id, "doc");
        (await workspace.RunAsync("verify", "--key", id, "--text", "doc", "--signature", signature)).AssertExitCode(0);

        // Act
        var json = await workspace.RunAsync("log", "verify", "--json");
        var text = await workspace.RunAsync("log", "verify");

        // Assert
        json.AssertExitCode(0);
        Assert.IsTrue(json.Json().RootElement.GetProperty("clean").GetBoolean());
        // The verification's group, and those of the audit records every run writes (the key's creation, the decisions).
        Assert.IsGreaterThanOrEqualTo(2, json.Json().RootElement.GetProperty("groups").GetInt32());
        text.AssertExitCode(0);
        StringAssert.Contains(text.Output, "Clean: ");
        StringAssert.Contains(text.Output, "Newest head: kih1:");
    }

    [TestMethod]
    public async Task LogVerify_RecordChangedAndEndCutOff_ReportsBothWithExitCodeOne()
    {
        // Arrange: two verifications, the head after them kept, then the file edited past its triggers.
        using var workspace = new SampleWorkspace();
        var id = await workspace.CreateKeyAsync("ecdsa-p256", "audited");
        var signature = await workspace.SignAsync(id, "doc");
        (await workspace.RunAsync("verify", "--key", id, "--text", "doc", "--signature", signature)).AssertExitCode(0);
        (await workspace.RunAsync("verify", "--key", id, "--text", "other", "--signature", signature)).AssertExitCode(1);
        var clean = await workspace.RunAsync("log", "verify", "--json");
        var heads = clean.Json().RootElement.GetProperty("newestHeads").EnumerateArray().Select(h => h.GetString()!).ToList();
        Assert.IsGreaterThanOrEqualTo(2, heads.Count, "every CLI run writes a chain of its own");
        await TamperAsync(workspace);

        // Act
        var result = await workspace.RunAsync(["log", "verify", "--json", .. heads.SelectMany(h => new[] { "--head", h })]);

        // Assert
        result.AssertExitCode(1);
        var root = result.Json().RootElement;
        Assert.IsFalse(root.GetProperty("clean").GetBoolean());
        Assert.AreEqual(1, root.GetProperty("modified").GetArrayLength());
        Assert.AreEqual("Truncated", root.GetProperty("brokenLinks")[0].GetProperty("kind").GetString());
    }

    [TestMethod]
    public async Task LogVerify_MalformedHead_IsBadInput()
    {
        using var workspace = new SampleWorkspace();

        var result = await workspace.RunAsync("log", "verify", "--head", "not-a-head");

        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "kih1:");
    }

    // As a writer with the file and without the master key: drop the append-only triggers, change the oldest record,
    // cut off the group of the newest record (its record and its digest: the newest group of that run's chain).
    private static async Task TamperAsync(SampleWorkspace workspace)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(workspace.DataDirectory, "keyinfra.db") }.ToString());
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            "DROP TRIGGER keyinfra_verification_records_no_update",
            "DROP TRIGGER keyinfra_verification_records_no_delete",
            "DROP TRIGGER keyinfra_verification_log_digests_no_delete",
            "UPDATE verification_records SET result = 'invalid_signature' WHERE id = (SELECT id FROM verification_records ORDER BY verified_at LIMIT 1)",
            "DELETE FROM verification_log_digests WHERE committed_at = (SELECT MIN(d.committed_at) FROM verification_log_digests d WHERE d.committed_at >= (SELECT MAX(verified_at) FROM verification_records))",
            "DELETE FROM verification_records WHERE id = (SELECT id FROM verification_records ORDER BY verified_at DESC LIMIT 1)",
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
    }
}
