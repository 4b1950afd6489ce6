namespace KeyInfra.Sample.Tests;

[TestClass]
public sealed class SignVerifyCommandTests
{
    private static SampleWorkspace s_workspace = null!;

    [ClassInitialize]
    public static void ClassInitialize(TestContext context) => s_workspace = new SampleWorkspace();

    [ClassCleanup]
    public static void ClassCleanup() => s_workspace.Dispose();

    [TestMethod]
    [DataRow("ecdsa-p256")]
    [DataRow("ed25519")]
    [DataRow("rsa-2048")]
    public async Task SignText_ThenVerify_IsValidWithExitCodeZero(string type)
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync(type, "signer");
        var signature = await s_workspace.SignAsync(id, "pay 10 EUR");

        // Act
        var result = await s_workspace.RunAsync("verify", "--key", id, "--text", "pay 10 EUR", "--signature", signature);

        // Assert
        result.AssertExitCode(0);
        Assert.AreEqual("Valid", result.Output.Trim());
    }

    [TestMethod]
    public async Task Verify_TamperedText_IsInvalidSignatureWithExitCodeOne()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p256", "signer");
        var signature = await s_workspace.SignAsync(id, "pay 10 EUR");

        // Act
        var result = await s_workspace.RunAsync("verify", "--key", id, "--text", "pay 90 EUR", "--signature", signature, "--json");

        // Assert
        result.AssertExitCode(1);
        Assert.AreEqual("InvalidSignature", result.Json().RootElement.GetProperty("status").GetString());
        Assert.IsFalse(result.Json().RootElement.GetProperty("valid").GetBoolean());
    }

    [TestMethod]
    public async Task Verify_DerSignatureForP1363Key_MalformedWithTheReasonOnStderr()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p256", "der signer");
        var sign = await s_workspace.RunAsync("sign", "--key", id, "--text", "doc", "--encoding", "der");
        sign.AssertExitCode(0);
        var signature = sign.Output.Trim();

        // Act
        var text = await s_workspace.RunAsync("verify", "--key", id, "--text", "doc", "--signature", signature);
        var json = await s_workspace.RunAsync("verify", "--key", id, "--text", "doc", "--signature", signature, "--json");

        // Assert
        text.AssertExitCode(1);
        Assert.AreEqual("MalformedSignature", text.Output.Trim());
        StringAssert.Contains(text.Error, "64-byte P1363 expected;");
        StringAssert.Contains(text.Error, "parse as DER");
        StringAssert.Contains(json.Json().RootElement.GetProperty("detail").GetString()!, "parse as DER");
    }

    [TestMethod]
    public async Task Revoke_ThenVerify_IsKeyRevokedAndLogHasEveryRecord()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p256", "revoked signer");
        var signature = await s_workspace.SignAsync(id, "doc");
        (await s_workspace.RunAsync("verify", "--key", id, "--text", "doc", "--signature", signature)).AssertExitCode(0);

        // Act
        var revoke = await s_workspace.RunAsync("keys", "revoke", id, "--reason", "key-compromise", "--json");
        var verify = await s_workspace.RunAsync("verify", "--key", id, "--text", "doc", "--signature", signature);
        var log = await s_workspace.RunAsync("log", "--key", id, "--json");

        // Assert
        revoke.AssertExitCode(0);
        Assert.AreEqual("KeyCompromise", revoke.Json().RootElement.GetProperty("revocationReason").GetString());
        verify.AssertExitCode(1);
        Assert.AreEqual("KeyRevoked", verify.Output.Trim());
        log.AssertExitCode(0);
        var statuses = log.Json().RootElement.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList();
        CollectionAssert.AreEqual(new[] { "KeyRevoked", "Valid" }, statuses, "newest first, the refusal recorded too");
        Assert.IsTrue(log.Json().RootElement.GetProperty("items").EnumerateArray().All(r => r.GetProperty("callerId").GetString() == "system:keyinfra-cli"), "The CLI calls as its operator, a system caller.");
    }

    [TestMethod]
    public async Task Log_StatusFilter_ReturnsOnlyThatOutcome()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p256", "logged");
        var signature = await s_workspace.SignAsync(id, "doc");
        await s_workspace.RunAsync("verify", "--key", id, "--text", "doc", "--signature", signature);
        await s_workspace.RunAsync("verify", "--key", id, "--text", "tampered", "--signature", signature);

        // Act
        var result = await s_workspace.RunAsync("log", "--key", id, "--status", "invalid-signature", "--json");
        var table = await s_workspace.RunAsync("log", "--key", id);

        // Assert
        result.AssertExitCode(0);
        var items = result.Json().RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.HasCount(1, items);
        Assert.AreEqual(64, items[0].GetProperty("documentSha256").GetString()!.Length, "the log holds a SHA-256 of the document");
        StringAssert.Contains(table.Output, "InvalidSignature");
        Assert.IsFalse(table.Output.Contains("tampered", StringComparison.Ordinal), "the log never holds the document");
    }

    [TestMethod]
    public async Task Log_CallerFilter_ReturnsTheEntriesThatCallerMade()
    {
        var id = await s_workspace.CreateKeyAsync("ed25519", "by caller");
        var signature = await s_workspace.SignAsync(id, "doc");
        await s_workspace.RunAsync("verify", "--key", id, "--text", "doc", "--signature", signature);

        var mine = await s_workspace.RunAsync("log", "--key", id, "--caller", "system:keyinfra-cli", "--json");
        var nobody = await s_workspace.RunAsync("log", "--key", id, "--caller", "user:nobody", "--json");

        Assert.HasCount(1, mine.Json().RootElement.GetProperty("items").EnumerateArray().ToList());
        Assert.HasCount(0, nobody.Json().RootElement.GetProperty("items").EnumerateArray().ToList());
    }

    [TestMethod]
    public async Task SignFileToFile_ThenVerifySignatureFile_IsValid()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p384", "file signer");
        await File.WriteAllBytesAsync(s_workspace.PathOf("invoice.bin"), [1, 2, 3, 4, 5]);

        // Act
        var sign = await s_workspace.RunAsync("sign", "--key", id, "--in", "invoice.bin", "--out", "invoice.sig", "--encoding", "der", "--hash", "sha512");
        var verify = await s_workspace.RunAsync("verify", "--key", id, "--in", "invoice.bin", "--signature-file", "invoice.sig", "--encoding", "der", "--hash", "sha512");
        var wrongEncoding = await s_workspace.RunAsync("verify", "--key", id, "--in", "invoice.bin", "--signature-file", "invoice.sig", "--hash", "sha512");

        // Assert
        sign.AssertExitCode(0);
        Assert.IsTrue(File.Exists(s_workspace.PathOf("invoice.sig")));
        verify.AssertExitCode(0);
        wrongEncoding.AssertExitCode(1);
    }

    [TestMethod]
    public async Task Verify_UnknownKey_IsKeyNotFound()
    {
        // Act
        var result = await s_workspace.RunAsync("verify", "--key", Guid.NewGuid().ToString(), "--text", "doc", "--signature", "AAAA");

        // Assert
        result.AssertExitCode(1);
        Assert.AreEqual("KeyNotFound", result.Output.Trim());
    }

    [TestMethod]
    [DataRow("not base64!")]
    [DataRow("AAA")]
    [DataRow("QR==")]
    [DataRow("AA AA")]
    public async Task Verify_BadBase64Signature_ExitsTwoBeforeVerifying(string signature)
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ecdsa-p256", "base64 target");

        // Act
        var result = await s_workspace.RunAsync("verify", "--key", id, "--text", "doc", "--signature", signature);

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "--signature is not valid Base64");
        Assert.AreEqual(0, await s_workspace.CountLogRecordsAsync(id), "nothing was verified, so nothing was recorded");
    }

    [TestMethod]
    public async Task Sign_MissingInputFile_ExitsTwoNamingIt()
    {
        // Act
        var result = await s_workspace.RunAsync("sign", "--key", Guid.NewGuid().ToString(), "--in", "missing.txt");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "--in: the file 'missing.txt' does not exist");
    }

    [TestMethod]
    public async Task Sign_BothTextAndFile_ExitsTwo()
    {
        // Act
        var result = await s_workspace.RunAsync("sign", "--key", Guid.NewGuid().ToString(), "--in", "a.txt", "--text", "b");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "not both");
    }

    [TestMethod]
    public async Task Sign_UnknownHash_ExitsTwoListingHashes()
    {
        // Act
        var result = await s_workspace.RunAsync("sign", "--key", Guid.NewGuid().ToString(), "--text", "b", "--hash", "md5");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "sha256, sha384 or sha512");
    }

    [TestMethod]
    public async Task Sign_ImportedPublicKey_IsRefusedWithKI1105()
    {
        // Arrange
        var id = await s_workspace.CreateKeyAsync("ed25519", "source");
        var pem = (await s_workspace.RunAsync("keys", "export", id, "--format", "pem")).Output;
        s_workspace.WriteFile("public.pem", pem);
        var imported = (await s_workspace.RunAsync("keys", "import", "--name", "public only", "--format", "pem", "--file", "public.pem", "--json"))
            .Json().RootElement.GetProperty("id").GetString()!;

        // Act
        var result = await s_workspace.RunAsync("sign", "--key", imported, "--text", "doc");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "KI1105");
    }

    [TestMethod]
    public async Task Command_MissingRequiredOption_ExitsTwoWithOneLine()
    {
        // Act
        var result = await s_workspace.RunAsync("verify", "--text", "doc");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "--key");
        Assert.AreEqual(1, result.Error.Trim().Split('\n').Length);
    }
}
