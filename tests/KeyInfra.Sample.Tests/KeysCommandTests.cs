using System.Text;
using System.Text.Json;

namespace KeyInfra.Sample.Tests;

[TestClass]
public sealed class KeysCommandTests
{
    private static SampleWorkspace s_workspace = null!;

    [ClassInitialize]
    public static void ClassInitialize(TestContext context) => s_workspace = new SampleWorkspace();

    [ClassCleanup]
    public static void ClassCleanup() => s_workspace.Dispose();

    [TestMethod]
    public async Task Create_ThenListJson_ContainsTheKey()
    {
        // Arrange
        var owner = $"owner-{Guid.NewGuid():N}";
        var id = await s_workspace.CreateKeyAsync("ed25519", "listed key", "--owner", owner);

        // Act
        var result = await s_workspace.RunAsync("keys", "list", "--owner", owner, "--json");

        // Assert
        result.AssertExitCode(0);
        var items = result.Json().RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.HasCount(1, items);
        Assert.AreEqual(id, items[0].GetProperty("id").GetString());
        Assert.AreEqual("ed25519", items[0].GetProperty("type").GetString());
        Assert.AreEqual("Active", items[0].GetProperty("status").GetString());
        Assert.IsTrue(items[0].GetProperty("hasPrivateKey").GetBoolean());
    }

    [TestMethod]
    public async Task List_PageSizeOne_PrintsCursorThatReachesTheNextKey()
    {
        // Arrange
        var owner = $"owner-{Guid.NewGuid():N}";
        var first = await s_workspace.CreateKeyAsync("ecdsa-p256", "first", "--owner", owner);
        var second = await s_workspace.CreateKeyAsync("ecdsa-p256", "second", "--owner", owner);

        // Act
        var page1 = await s_workspace.RunAsync("keys", "list", "--owner", owner, "--page-size", "1", "--json");
        var cursor = page1.Json().RootElement.GetProperty("next").GetString()!;
        var page2 = await s_workspace.RunAsync("keys", "list", "--owner", owner, "--page-size", "1", "--after", cursor, "--json");

        // Assert
        Assert.AreEqual(first, page1.Json().RootElement.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.AreEqual(second, page2.Json().RootElement.GetProperty("items")[0].GetProperty("id").GetString());
    }

    [TestMethod]
    public async Task Create_TablePrintsAlignedRowWithIdTypeAndName()
    {
        // Act
        var result = await s_workspace.RunAsync("keys", "create", "--type", "rsa-2048", "--name", "table key", "--padding", "pkcs1");

        // Assert
        result.AssertExitCode(0);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(3, lines, "header, rule, one row");
        Assert.AreEqual(lines[0].IndexOf("TYPE", StringComparison.Ordinal), lines[2].IndexOf("rsa-2048", StringComparison.Ordinal), "columns are aligned");
        StringAssert.Contains(lines[2], "table key");
    }

    [TestMethod]
    public async Task Show_ExistingKey_PrintsDetailsButNoPrivateKey()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p384", "shown key", "--ring", $"ring-{Guid.NewGuid():N}", "--encoding", "der");

        // Act
        var table = await s_workspace.RunAsync("keys", "show", id);
        var json = await s_workspace.RunAsync("keys", "show", id, "--json");

        // Assert
        table.AssertExitCode(0);
        StringAssert.Contains(table.Output, id);
        StringAssert.Contains(table.Output, "ecdsa-p384");
        StringAssert.Contains(table.Output, "v1");
        StringAssert.Contains(table.Output, "held by KeyInfra (encrypted)");
        json.AssertExitCode(0);
        Assert.AreEqual("Der", json.Json().RootElement.GetProperty("signatureEncoding").GetString());
        Assert.AreEqual("SHA384", json.Json().RootElement.GetProperty("hashAlgorithm").GetString());
        Assert.IsFalse(table.Output.Contains("PRIVATE", StringComparison.Ordinal) || json.Output.Contains("privateKey\"", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task Show_UnknownKey_ExitsTwoWithKI1101()
    {
        // Act
        var result = await s_workspace.RunAsync("keys", "show", Guid.NewGuid().ToString());

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "KI1101");
    }

    [TestMethod]
    public async Task ExportPem_ThenImportFromFileAndStdin_VerifiesTheOriginalsSignatures()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p256", "exported key");
        var signature = await s_workspace.SignAsync(id, "signed before export");

        // Act
        var export = await s_workspace.RunAsync("keys", "export", id, "--format", "pem");
        s_workspace.WriteFile("exported.pem", export.Output);
        var fromFile = await s_workspace.RunAsync("keys", "import", "--name", "imported", "--format", "pem", "--file", "exported.pem", "--json");
        var fromStdin = await s_workspace.RunWithInputAsync(Encoding.UTF8.GetBytes(export.Output), "keys", "import", "--name", "piped", "--format", "pem", "--type", "ecdsa-p256", "--json");

        // Assert
        export.AssertExitCode(0);
        StringAssert.StartsWith(export.Output, "-----BEGIN PUBLIC KEY-----");
        fromFile.AssertExitCode(0);
        fromStdin.AssertExitCode(0);
        foreach (var imported in new[] { fromFile, fromStdin })
        {
            var root = imported.Json().RootElement;
            Assert.IsFalse(root.GetProperty("hasPrivateKey").GetBoolean());
            var verify = await s_workspace.RunAsync("verify", "--key", root.GetProperty("id").GetString()!, "--text", "signed before export", "--signature", signature);
            verify.AssertExitCode(0);
        }
    }

    [TestMethod]
    public async Task Import_PemOfAnotherType_ExitsTwoWithKeyFormatCode()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p256", "mismatched key");
        var pem = (await s_workspace.RunAsync("keys", "export", id, "--format", "pem")).Output;

        // Act
        var result = await s_workspace.RunWithInputAsync(Encoding.UTF8.GetBytes(pem), "keys", "import", "--name", "x", "--format", "pem", "--type", "ecdsa-p384");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "KI1005");
    }

    [TestMethod]
    public async Task ExportDer_ToFileAndAsBase64_GiveTheSameBytes()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ed25519", "der key");

        // Act
        var toFile = await s_workspace.RunAsync("keys", "export", id, "--format", "der", "--out", "key.der");
        var toStdout = await s_workspace.RunAsync("keys", "export", id, "--format", "der");

        // Assert
        toFile.AssertExitCode(0);
        toStdout.AssertExitCode(0);
        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(s_workspace.PathOf("key.der")), Convert.FromBase64String(toStdout.Output.Trim()));
    }

    [TestMethod]
    public async Task ExportJwk_Ed25519_PrintsOkpJson()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ed25519", "jwk key");

        // Act
        var result = await s_workspace.RunAsync("keys", "export", id, "--format", "jwk");

        // Assert
        result.AssertExitCode(0);
        using var jwk = JsonDocument.Parse(result.Output);
        Assert.AreEqual("OKP", jwk.RootElement.GetProperty("kty").GetString());
        Assert.IsFalse(jwk.RootElement.TryGetProperty("d", out _), "a public JWK has no private part");
    }

    [TestMethod]
    public async Task ExportRaw_RsaKey_ExitsTwoWithMessage()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("rsa-2048", "raw rsa");

        // Act
        var result = await s_workspace.RunAsync("keys", "export", id, "--format", "raw");

        // Assert
        result.AssertExitCode(2);
        StringAssert.StartsWith(result.Error.Trim().Split('\n')[^1], "error:");
    }

    [TestMethod]
    public async Task Rotate_Ring_CreatesNextVersionOfSameType()
    {
        // Arrange
        var ring = $"ring-{Guid.NewGuid():N}";
        await s_workspace.CreateKeyAsync("ecdsa-secp256k1", "ring key", "--ring", ring);

        // Act
        var result = await s_workspace.RunAsync("keys", "rotate", ring, "--json");

        // Assert
        result.AssertExitCode(0);
        var root = result.Json().RootElement;
        Assert.AreEqual(2, root.GetProperty("ringVersion").GetInt32());
        Assert.AreEqual("ecdsa-secp256k1", root.GetProperty("type").GetString());
    }

    [TestMethod]
    public async Task Rotate_UnknownRing_ExitsTwoWithKI1102()
    {
        // Act
        var result = await s_workspace.RunAsync("keys", "rotate", $"no-such-ring-{Guid.NewGuid():N}");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "KI1102");
    }

    [TestMethod]
    public async Task Expire_ThenVerify_IsKeyExpiredAndSigningIsRefused()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p521", "expiring key");
        var signature = await s_workspace.SignAsync(id, "doc");

        // Act
        var expire = await s_workspace.RunAsync("keys", "expire", id, "--json");
        var verify = await s_workspace.RunAsync("verify", "--key", id, "--text", "doc", "--signature", signature);
        var sign = await s_workspace.RunAsync("sign", "--key", id, "--text", "doc");

        // Assert
        expire.AssertExitCode(0);
        Assert.AreEqual("Expired", expire.Json().RootElement.GetProperty("status").GetString());
        verify.AssertExitCode(1);
        Assert.AreEqual("KeyExpired", verify.Output.Trim());
        sign.AssertExitCode(2);
        StringAssert.Contains(sign.Error, "KI1104");
    }

    [TestMethod]
    public async Task Delete_UnusedKey_DeletesIt()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p256", "unused key");

        // Act
        var delete = await s_workspace.RunAsync("keys", "delete", id);
        var show = await s_workspace.RunAsync("keys", "show", id);

        // Assert
        delete.AssertExitCode(0);
        StringAssert.Contains(delete.Output, $"Deleted key {id}");
        show.AssertExitCode(2);
    }

    [TestMethod]
    public async Task Delete_KeyWithVerificationRecords_IsRefusedWithKI1106()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p256", "used key");
        var signature = await s_workspace.SignAsync(id, "doc");
        (await s_workspace.RunAsync("verify", "--key", id, "--text", "doc", "--signature", signature)).AssertExitCode(0);

        // Act
        var result = await s_workspace.RunAsync("keys", "delete", id);

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "KI1106");
        Assert.IsFalse(result.Error.Contains("   at ", StringComparison.Ordinal), "no stack trace");
        (await s_workspace.RunAsync("keys", "show", id)).AssertExitCode(0);
    }

    [TestMethod]
    public async Task Create_UnknownType_ExitsTwoListingTheTypes()
    {
        // Act
        var result = await s_workspace.RunAsync("keys", "create", "--type", "rsa-1024", "--name", "weak");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "'rsa-1024' is not a key type");
        StringAssert.Contains(result.Error, "ecdsa-p256");
        Assert.AreEqual(string.Empty, result.Output);
    }

    [TestMethod]
    public async Task Create_ExpiryInThePast_ExitsTwoWithMessage()
    {
        // Act
        var result = await s_workspace.RunAsync("keys", "create", "--type", "ed25519", "--name", "late", "--expires", "2001-01-01T00:00:00Z");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "not in the future");
    }

    [TestMethod]
    public async Task Import_RawWithoutType_ExitsTwoAskingForType()
    {
        // Arrange
        s_workspace.WriteFile("raw.key", "not used");

        // Act
        var result = await s_workspace.RunAsync("keys", "import", "--name", "raw", "--format", "raw", "--file", "raw.key");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "--type");
    }

    [TestMethod]
    public async Task Import_MissingFile_ExitsTwoNamingTheFile()
    {
        // Act
        var result = await s_workspace.RunAsync("keys", "import", "--name", "ghost", "--format", "pem", "--file", "no-such-file.pem");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "no-such-file.pem");
        StringAssert.Contains(result.Error, "does not exist");
    }

    [TestMethod]
    [DataRow("revoke")]
    [DataRow("show")]
    [DataRow("delete")]
    public async Task Command_MalformedKeyId_ExitsTwoExplainingTheFormat(string command)
    {
        // Act
        var result = await s_workspace.RunAsync("keys", command, "not-a-uuid");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "'not-a-uuid' is not a key id");
        StringAssert.Contains(result.Error, "keys list");
    }
}
