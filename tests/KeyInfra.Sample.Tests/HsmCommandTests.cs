using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace KeyInfra.Sample.Tests;

/// <summary>
/// The <c>hsm</c> commands, <c>keys create --hsm</c> and <c>keys adopt</c> against a real SoftHSM2 token (each test a
/// token of its own), with KEYINFRA_PKCS11_MODULE as ./test.sh exports it.
/// </summary>
[TestClass]
public sealed class HsmCommandTests
{
    [TestMethod]
    public async Task SlotsAdd_PinOnStandardInput_StoresSlotWithoutItsPinAndTestLogsIn()
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync(slot: null);

        // Act
        var add = await hsm.AddSlotAsync("main", hsm.Token.Pin, "--json");
        var list = await hsm.Workspace.RunAsync("hsm", "slots", "list", "--json");
        var test = await hsm.Workspace.RunAsync("hsm", "slots", "test", "main");
        var testJson = await hsm.Workspace.RunAsync("hsm", "slots", "test", "main", "--json");

        // Assert
        add.AssertExitCode(0);
        list.AssertExitCode(0);
        var items = list.Json().RootElement.GetProperty("items");
        Assert.AreEqual(1, items.GetArrayLength());
        Assert.AreEqual("main", items[0].GetProperty("name").GetString());
        Assert.AreEqual(HsmSlotFixture.ModuleName, items[0].GetProperty("moduleName").GetString());
        Assert.AreEqual(hsm.Token.Label, items[0].GetProperty("tokenLabel").GetString());
        Assert.IsFalse(items[0].TryGetProperty("encryptedPin", out _), "no PIN ciphertext in the output");
        test.AssertExitCode(0);
        StringAssert.Contains(test.Output, hsm.Token.Label);
        StringAssert.Contains(test.Output, "SoftHSM");
        testJson.AssertExitCode(0);
        Assert.IsTrue(testJson.Json().RootElement.GetProperty("token").GetProperty("loggedIn").GetBoolean());
        foreach (var result in new[] { add, list, test, testJson })
        {
            hsm.AssertPinNotShown(result);
        }
    }

    [TestMethod]
    public async Task SlotsAdd_PinInNamedVariable_StoresSlot()
    {
        // Arrange: a variable of this test only (the environment is process-wide).
        using var hsm = await HsmSlotFixture.CreateAsync(slot: null);
        var variable = "KEYINFRA_TEST_PIN_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
        Environment.SetEnvironmentVariable(variable, hsm.Token.Pin);
        try
        {
            // Act
            var add = await hsm.Workspace.RunAsync("hsm", "slots", "add", "--name", "from-env", "--module", HsmSlotFixture.ModuleName,
                "--token-label", hsm.Token.Label, "--pin-env", variable);
            var test = await hsm.Workspace.RunAsync("hsm", "slots", "test", "from-env");

            // Assert
            add.AssertExitCode(0);
            test.AssertExitCode(0);
            hsm.AssertPinNotShown(add);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [TestMethod]
    public async Task SlotsAdd_WrongPin_ExitsTwoWithKI6005AndStoresNothing()
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync(slot: null);
        var wrongPin = "9" + hsm.Token.Pin;

        // Act
        var wrong = await hsm.AddSlotAsync("main", wrongPin);
        var list = await hsm.Workspace.RunAsync("hsm", "slots", "list", "--json");
        var right = await hsm.AddSlotAsync("main", hsm.Token.Pin);

        // Assert: refused once with its code, nothing stored, neither PIN shown; the right PIN still works.
        wrong.AssertExitCode(2);
        StringAssert.Contains(wrong.Error, "error: KI6005");
        StringAssert.Contains(wrong.Error, "CKR_PIN_INCORRECT");
        Assert.DoesNotContain(wrongPin, wrong.Output + wrong.Error, StringComparison.Ordinal);
        hsm.AssertPinNotShown(wrong);
        Assert.IsFalse(wrong.Error.Contains("   at ", StringComparison.Ordinal), "no stack trace");
        Assert.AreEqual(0, list.Json().RootElement.GetProperty("items").GetArrayLength());
        right.AssertExitCode(0);
    }

    [TestMethod]
    public async Task SlotsAdd_UnknownTokenLabel_ExitsTwoWithKI6004()
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync(slot: null);

        // Act
        var result = await hsm.Workspace.RunWithInputAsync(Encoding.UTF8.GetBytes(hsm.Token.Pin + "\n"),
            "hsm", "slots", "add", "--name", "ghost", "--module", HsmSlotFixture.ModuleName, "--token-label", "no-such-token-here", "--pin-stdin");
        var list = await hsm.Workspace.RunAsync("hsm", "slots", "list", "--json");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "error: KI6004");
        StringAssert.Contains(result.Error, "no-such-token-here");
        hsm.AssertPinNotShown(result);
        Assert.AreEqual(0, list.Json().RootElement.GetProperty("items").GetArrayLength());
    }

    [TestMethod]
    public async Task SlotsAdd_PinAsArgument_IsNotAnOption()
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync(slot: null);

        // Act: a PIN on the command line would show in ps and the shell history; the CLI has no such option.
        var result = await hsm.Workspace.RunAsync("hsm", "slots", "add", "--name", "main", "--module", HsmSlotFixture.ModuleName,
            "--token-label", hsm.Token.Label, "--pin", hsm.Token.Pin);
        var list = await hsm.Workspace.RunAsync("hsm", "slots", "list", "--json");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "--pin");
        Assert.AreEqual(0, list.Json().RootElement.GetProperty("items").GetArrayLength());
    }

    [TestMethod]
    public async Task SlotsAdd_EmptyStandardInput_ExitsTwoSayingWhereThePinGoes()
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync(slot: null);

        // Act
        var empty = await hsm.Workspace.RunWithInputAsync([], "hsm", "slots", "add", "--name", "main", "--module", HsmSlotFixture.ModuleName,
            "--token-label", hsm.Token.Label, "--pin-stdin");
        var both = await hsm.Workspace.RunAsync("hsm", "slots", "add", "--name", "main", "--module", HsmSlotFixture.ModuleName,
            "--token-label", hsm.Token.Label, "--token-serial", "0123", "--pin-stdin");

        // Assert
        empty.AssertExitCode(2);
        StringAssert.Contains(empty.Error, "--pin-stdin");
        both.AssertExitCode(2);
        StringAssert.Contains(both.Error, "exactly one of --token-label");
    }

    [TestMethod]
    public async Task ModulesAdd_LibraryPathNotAllowed_ExitsTwoWithKI6001AndLoadsNothing()
    {
        // Arrange: a file that exists but is not the allowed library (loading it would be code execution if it were one).
        using var hsm = await HsmSlotFixture.CreateAsync(slot: null);
        hsm.Workspace.WriteFile("libplanted.so", "not a library");

        // Act
        var result = await hsm.Workspace.RunAsync("hsm", "modules", "add", "--name", "planted", "--library", hsm.Workspace.PathOf("libplanted.so"));
        var list = await hsm.Workspace.RunAsync("hsm", "modules", "list", "--json");

        // Assert: refused before loading (KI6001, not the load failure KI6002/KI6003), and nothing stored.
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "error: KI6001");
        Assert.AreEqual(1, list.Json().RootElement.GetProperty("items").GetArrayLength(), "only the fixture's module");
    }

    [TestMethod]
    public async Task StoredModulePath_RewrittenByDatabaseWriter_IsRefusedBeforeLoading()
    {
        // Arrange: a slot and a key in its token; then a database writer points the module row at a library of their own.
        using var hsm = await HsmSlotFixture.CreateAsync();
        var keyId = await hsm.CreateHsmKeyAsync("ecdsa-p256");
        hsm.Workspace.WriteFile("libplanted.so", "not a library");
        await ExecuteSqlAsync(hsm.Workspace, "UPDATE hsm_modules SET library_path = $path", ("$path", hsm.Workspace.PathOf("libplanted.so")));

        // Act
        var test = await hsm.Workspace.RunAsync("hsm", "slots", "test", "main");
        var sign = await hsm.Workspace.RunAsync("sign", "--key", keyId, "--text", "after the rewrite");
        var list = await hsm.Workspace.RunAsync("hsm", "modules", "list", "--json");

        // Assert: nothing is loaded from the stored path, nothing is signed, and the listing says the path is not allowed here.
        test.AssertExitCode(2);
        StringAssert.Contains(test.Error, "error: KI6001");
        sign.AssertExitCode(2);
        StringAssert.Contains(sign.Error, "KI6001");
        Assert.AreEqual("", sign.Output);
        Assert.IsFalse(list.Json().RootElement.GetProperty("items")[0].GetProperty("isAllowed").GetBoolean());
    }

    [TestMethod]
    public async Task SlotsTest_UnknownSlot_ExitsTwoWithKI6012()
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync();

        // Act
        var test = await hsm.Workspace.RunAsync("hsm", "slots", "test", "nope");
        var remove = await hsm.Workspace.RunAsync("hsm", "slots", "remove", "nope");
        var create = await hsm.Workspace.RunAsync("keys", "create", "--type", "ecdsa-p256", "--name", "x", "--hsm", "nope");

        // Assert
        foreach (var result in new[] { test, remove, create })
        {
            result.AssertExitCode(2);
            StringAssert.Contains(result.Error, "error: KI6012");
            StringAssert.Contains(result.Error, "nope");
        }
    }

    [TestMethod]
    [DataRow("ecdsa-p256")]
    [DataRow("ed25519")]
    public async Task KeysCreateHsm_ThenSignAndVerify_SignatureIsValidAndTamperedIsRefused(string type)
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync();
        var keyId = await hsm.CreateHsmKeyAsync(type);

        // Act
        var signature = await hsm.Workspace.SignAsync(keyId, "Invoice 42");
        var good = await hsm.Workspace.RunAsync("verify", "--key", keyId, "--text", "Invoice 42", "--signature", signature);
        var bad = await hsm.Workspace.RunAsync("verify", "--key", keyId, "--text", "Invoice 43", "--signature", signature);
        var export = await hsm.Workspace.RunAsync("keys", "export", keyId, "--format", "der");

        // Assert: valid through KeyInfra and through the platform's own crypto with the exported public key.
        good.AssertExitCode(0);
        StringAssert.Contains(good.Output, "Valid");
        bad.AssertExitCode(1);
        var spki = Convert.FromBase64String(export.Output.Trim());
        var data = Encoding.UTF8.GetBytes("Invoice 42");
        var raw = Convert.FromBase64String(signature);
        if (type == "ed25519")
        {
            var key = NSec.Cryptography.PublicKey.Import(NSec.Cryptography.SignatureAlgorithm.Ed25519, spki, NSec.Cryptography.KeyBlobFormat.PkixPublicKey);
            Assert.IsTrue(NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(key, data, raw));
        }
        else
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
            Assert.IsTrue(ecdsa.VerifyData(data, raw, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }
    }

    [TestMethod]
    public async Task KeysCreateHsm_JsonAndShow_SayTheTokenHoldsTheKey()
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync();

        // Act
        var create = await hsm.Workspace.RunAsync("keys", "create", "--type", "ecdsa-p384", "--name", "in the token", "--hsm", "main", "--json");
        var keyId = create.Json().RootElement.GetProperty("id").GetString()!;
        var show = await hsm.Workspace.RunAsync("keys", "show", keyId);
        var showJson = await hsm.Workspace.RunAsync("keys", "show", keyId, "--json");
        var software = await hsm.Workspace.CreateKeyAsync("ecdsa-p384", "in software");
        var showSoftware = await hsm.Workspace.RunAsync("keys", "show", software);

        // Assert
        create.AssertExitCode(0);
        Assert.AreEqual("pkcs11", create.Json().RootElement.GetProperty("backend").GetString());
        Assert.AreEqual("main", create.Json().RootElement.GetProperty("hsmSlot").GetString());
        show.AssertExitCode(0);
        StringAssert.Contains(show.Output, "in an HSM token (pkcs11)");
        Assert.AreEqual("pkcs11", showJson.Json().RootElement.GetProperty("backend").GetString());
        StringAssert.Contains(showSoftware.Output, "held by KeyInfra (encrypted)");
    }

    [TestMethod]
    public async Task KeysAdopt_KeysMadeByPkcs11Tool_AreRegisteredAndSign()
    {
        // Arrange: two key pairs another tool generated in the token.
        using var hsm = await HsmSlotFixture.CreateAsync();
        hsm.Token.GenerateWithPkcs11Tool("EC:prime256v1", "0a0b", "by-label");
        hsm.Token.GenerateWithPkcs11Tool("EC:edwards25519", "0c0d", "by-id");

        // Act
        var byLabel = await hsm.Workspace.RunAsync("keys", "adopt", "--hsm", "main", "--type", "ecdsa-p256", "--name", "adopted p256", "--label", "by-label", "--json");
        var byId = await hsm.Workspace.RunAsync("keys", "adopt", "--hsm", "main", "--type", "ed25519", "--name", "adopted ed25519", "--id", "0C0D", "--json");

        // Assert: each is registered with the token's public key and signs in the token.
        byLabel.AssertExitCode(0);
        byId.AssertExitCode(0);
        foreach (var adopted in new[] { byLabel, byId })
        {
            var keyId = adopted.Json().RootElement.GetProperty("id").GetString()!;
            var signature = await hsm.Workspace.SignAsync(keyId, "adopted");
            (await hsm.Workspace.RunAsync("verify", "--key", keyId, "--text", "adopted", "--signature", signature)).AssertExitCode(0);
        }
    }

    [TestMethod]
    public async Task KeysAdopt_UnknownLabelOrWrongType_ExitsTwoWithItsCode()
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync();
        hsm.Token.GenerateWithPkcs11Tool("EC:prime256v1", "01", "p256");

        // Act
        var unknown = await hsm.Workspace.RunAsync("keys", "adopt", "--hsm", "main", "--type", "ecdsa-p256", "--name", "x", "--label", "not-in-token");
        var wrongType = await hsm.Workspace.RunAsync("keys", "adopt", "--hsm", "main", "--type", "ed25519", "--name", "x", "--label", "p256");
        var neither = await hsm.Workspace.RunAsync("keys", "adopt", "--hsm", "main", "--type", "ecdsa-p256", "--name", "x");
        var badId = await hsm.Workspace.RunAsync("keys", "adopt", "--hsm", "main", "--type", "ecdsa-p256", "--name", "x", "--id", "xyz");
        var list = await hsm.Workspace.RunAsync("keys", "list", "--json");

        // Assert
        unknown.AssertExitCode(2);
        StringAssert.Contains(unknown.Error, "error: KI6008");
        wrongType.AssertExitCode(2);
        StringAssert.Contains(wrongType.Error, "error: KI6016");
        neither.AssertExitCode(2);
        StringAssert.Contains(neither.Error, "--label");
        badId.AssertExitCode(2);
        StringAssert.Contains(badId.Error, "hexadecimal");
        Assert.AreEqual(0, list.Json().RootElement.GetProperty("items").GetArrayLength(), "nothing was registered");
    }

    [TestMethod]
    public async Task Sign_KeyDeletedFromTokenBehindKeyInfrasBack_ExitsTwoWithKI6008()
    {
        // Arrange: a key KeyInfra made, whose private object another tool then deletes.
        using var hsm = await HsmSlotFixture.CreateAsync();
        hsm.Token.GenerateWithPkcs11Tool("EC:prime256v1", "0e", "doomed");
        var adopt = await hsm.Workspace.RunAsync("keys", "adopt", "--hsm", "main", "--type", "ecdsa-p256", "--name", "doomed", "--id", "0e", "--json");
        var keyId = adopt.Json().RootElement.GetProperty("id").GetString()!;
        hsm.Token.DeleteObjectsWithPkcs11Tool("0e", "privkey");

        // Act
        var sign = await hsm.Workspace.RunAsync("sign", "--key", keyId, "--text", "too late");

        // Assert
        adopt.AssertExitCode(0);
        sign.AssertExitCode(2);
        StringAssert.Contains(sign.Error, "error: KI6008");
    }

    [TestMethod]
    public async Task Remove_InUse_IsRefusedAndUnused_IsRemoved()
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync();
        (await hsm.AddSlotAsync("spare", hsm.Token.Pin)).AssertExitCode(0);
        await hsm.CreateHsmKeyAsync("ecdsa-p256");

        // Act
        var moduleInUse = await hsm.Workspace.RunAsync("hsm", "modules", "remove", HsmSlotFixture.ModuleName);
        var slotInUse = await hsm.Workspace.RunAsync("hsm", "slots", "remove", "main");
        var spare = await hsm.Workspace.RunAsync("hsm", "slots", "remove", "spare", "--json");
        var unknownModule = await hsm.Workspace.RunAsync("hsm", "modules", "remove", "nope");
        var slots = await hsm.Workspace.RunAsync("hsm", "slots", "list", "--json");

        // Assert
        moduleInUse.AssertExitCode(2);
        StringAssert.Contains(moduleInUse.Error, "error: KI4202");
        slotInUse.AssertExitCode(2);
        StringAssert.Contains(slotInUse.Error, "error: KI4204");
        spare.AssertExitCode(0);
        Assert.IsTrue(spare.Json().RootElement.GetProperty("removed").GetBoolean());
        unknownModule.AssertExitCode(2);
        StringAssert.Contains(unknownModule.Error, "error: KI6012");
        Assert.AreEqual(1, slots.Json().RootElement.GetProperty("items").GetArrayLength());
    }

    [TestMethod]
    public async Task Demo_WithHsmSlot_MakesKeysInTheTokenAndVerifiesTheirSignatures()
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync();

        // Act
        var table = await hsm.Workspace.RunAsync();
        var json = await hsm.Workspace.RunAsync("--json");

        // Assert
        table.AssertExitCode(0);
        StringAssert.Contains(table.Output, "8. Keys in an HSM (PKCS#11)");
        StringAssert.Contains(table.Output, $"slot 'main' (label '{hsm.Token.Label}'");
        json.AssertExitCode(0);
        var section = json.Json().RootElement.GetProperty("hsm");
        Assert.IsTrue(section.GetProperty("configured").GetBoolean());
        Assert.AreEqual("main", section.GetProperty("slot").GetString());
        var keys = section.GetProperty("keys");
        Assert.AreEqual(2, keys.GetArrayLength());
        foreach (var key in keys.EnumerateArray())
        {
            Assert.AreEqual("Valid", key.GetProperty("document").GetString(), key.ToString());
            Assert.AreEqual("InvalidSignature", key.GetProperty("tampered").GetString(), key.ToString());
        }

        var list = await hsm.Workspace.RunAsync("hsm", "slots", "list", "--json");
        hsm.AssertPinNotShown(table);
        hsm.AssertPinNotShown(json);
        list.AssertExitCode(0);
    }

    [TestMethod]
    public async Task Demo_ModuleConfiguredWithoutSlot_SaysHowToAddOne()
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync(slot: null);

        // Act
        var result = await hsm.Workspace.RunAsync();

        // Assert
        result.AssertExitCode(0);
        StringAssert.Contains(result.Output, "no HSM slot");
        StringAssert.Contains(result.Output, "hsm slots add --name demo");
    }

    private static async Task ExecuteSqlAsync(SampleWorkspace workspace, string sql, params (string Name, object Value)[] parameters)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(workspace.DataDirectory, "keyinfra.db") }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            Assert.AreEqual(1, await command.ExecuteNonQueryAsync());
        }

        SqliteConnection.ClearAllPools();
    }
}
