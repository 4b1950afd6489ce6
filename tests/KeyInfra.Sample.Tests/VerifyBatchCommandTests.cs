using System.Text;

namespace KeyInfra.Sample.Tests;

[TestClass]
public sealed class VerifyBatchCommandTests
{
    private static SampleWorkspace s_workspace = null!;

    [ClassInitialize]
    public static void ClassInitialize(TestContext context) => s_workspace = new SampleWorkspace();

    [ClassCleanup]
    public static void ClassCleanup() => s_workspace.Dispose();

    [TestMethod]
    public async Task VerifyBatch_AllGood_ExitsZeroAndPrintsRowsAndSummary()
    {
        // Arrange
        var p256 = await s_workspace.CreateKeyAsync("ecdsa-p256", "batch 1");
        var ed = await s_workspace.CreateKeyAsync("ed25519", "batch 2");
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes("binary doc"));
        var lines = new[]
        {
            $$"""{"keyId":"{{p256}}","text":"first","signature":"{{await s_workspace.SignAsync(p256, "first")}}"}""",
            $$"""{"keyId":"{{ed}}","data":"{{data}}","signature":"{{await s_workspace.SignAsync(ed, "binary doc")}}"}""",
        };
        s_workspace.WriteFile("good.jsonl", string.Join("\n", lines) + "\n");

        // Act
        var result = await s_workspace.RunAsync("verify-batch", "--file", "good.jsonl");
        var json = await s_workspace.RunAsync("verify-batch", "--file", "good.jsonl", "--json");
        var batchId = json.Json().RootElement.GetProperty("batchId").GetString()!;
        var recorded = await s_workspace.RunAsync("log", "--batch", batchId, "--json");

        // Assert
        result.AssertExitCode(0);
        StringAssert.Contains(result.Output, p256);
        StringAssert.Contains(result.Output, ed);
        StringAssert.Contains(result.Output, "2 requests: 2 valid, 0 not valid. Recorded as batch");
        recorded.AssertExitCode(0);
        var items = recorded.Json().RootElement.GetProperty("items").EnumerateArray().ToList();
        CollectionAssert.AreEqual(new[] { p256, ed }, items.Select(i => i.GetProperty("keyId").GetString()).ToArray(), "the batch is recorded with its items, in order");
    }

    [TestMethod]
    public async Task VerifyBatch_OneTampered_ExitsOneAndReportsItByLine()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p256", "batch tamper");
        var signature = await s_workspace.SignAsync(id, "doc");
        s_workspace.WriteFile("tampered.jsonl",
            $$"""{"keyId":"{{id}}","text":"doc","signature":"{{signature}}"}""" + "\r\n\r\n" +
            $$"""{"keyId":"{{id}}","text":"doc!","signature":"{{signature}}"}""");

        // Act
        var result = await s_workspace.RunAsync("verify-batch", "--file", "tampered.jsonl", "--json");

        // Assert
        result.AssertExitCode(1);
        var root = result.Json().RootElement;
        Assert.AreEqual(1, root.GetProperty("valid").GetInt32());
        var second = root.GetProperty("results")[1];
        Assert.AreEqual(3, second.GetProperty("line").GetInt32(), "blank lines count for the line numbers");
        Assert.AreEqual("InvalidSignature", second.GetProperty("status").GetString());
    }

    [TestMethod]
    [DataRow("{\"keyId\":\"KEY\",\"text\":\"doc\",\"signature\":\"SIG\"", "not valid JSON")]
    [DataRow("{\"keyId\":\"KEY\",\"text\":\"doc\",\"signature\":\"SIG\",\"extra\":\"x\"}", "unknown property \"extra\"")]
    [DataRow("{\"keyId\":\"KEY\",\"signature\":\"SIG\"}", "exactly one of them")]
    [DataRow("{\"keyId\":\"KEY\",\"text\":\"doc\",\"data\":\"AAAA\",\"signature\":\"SIG\"}", "exactly one of them")]
    [DataRow("{\"keyId\":\"KEY\",\"text\":\"doc\",\"signature\":\"SIG!\"}", "\"signature\" is not valid Base64")]
    [DataRow("{\"keyId\":\"KEY\",\"keyId\":\"KEY\",\"text\":\"doc\",\"signature\":\"SIG\"}", "appears twice")]
    [DataRow("{\"keyId\":\"nope\",\"text\":\"doc\",\"signature\":\"SIG\"}", "is not a key id")]
    [DataRow("[1,2]", "must be a JSON object")]
    [DataRow("{\"keyId\":\"KEY\",\"text\":42,\"signature\":\"SIG\"}", "must be a JSON string")]
    public async Task VerifyBatch_MalformedSecondLine_ExitsTwoNamingLineAndVerifiesNothing(string badLine, string expectedMessage)
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p256", "batch strict");
        var signature = await s_workspace.SignAsync(id, "doc");
        var good = $$"""{"keyId":"{{id}}","text":"doc","signature":"{{signature}}"}""";
        s_workspace.WriteFile("malformed.jsonl", good + "\n" + badLine.Replace("KEY", id, StringComparison.Ordinal).Replace("SIG", signature, StringComparison.Ordinal) + "\n" + good);

        var batchesBefore = await s_workspace.CountRowsAsync("batch_verifications");

        // Act
        var result = await s_workspace.RunAsync("verify-batch", "--file", "malformed.jsonl");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "malformed.jsonl, line 2:");
        StringAssert.Contains(result.Error, expectedMessage);
        StringAssert.Contains(result.Error, "Nothing was verified");
        Assert.AreEqual(batchesBefore, await s_workspace.CountRowsAsync("batch_verifications"), "no batch was recorded: the good first line was not verified either");
    }

    [TestMethod]
    public async Task VerifyBatch_EmptyFile_ExitsTwo()
    {
        // Arrange
        s_workspace.WriteFile("empty.jsonl", "\n\n");

        // Act
        var result = await s_workspace.RunAsync("verify-batch", "--file", "empty.jsonl");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "holds no requests");
    }

    [TestMethod]
    public async Task VerifyBatch_MissingFile_ExitsTwo()
    {
        // Act
        var result = await s_workspace.RunAsync("verify-batch", "--file", "nowhere.jsonl");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "'nowhere.jsonl' does not exist");
    }

    [TestMethod]
    public async Task LogBatch_UnknownOrMalformedId_ExitsTwo()
    {
        // Act
        var unknown = await s_workspace.RunAsync("log", "--batch", Guid.NewGuid().ToString());
        var malformed = await s_workspace.RunAsync("log", "--batch", "batch-1");

        // Assert
        unknown.AssertExitCode(2);
        StringAssert.Contains(unknown.Error, "No batch with id");
        malformed.AssertExitCode(2);
        StringAssert.Contains(malformed.Error, "is not a batch id");
    }
}
