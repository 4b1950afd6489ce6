using System.Diagnostics.Metrics;
using System.Text;
using KeyInfra.Diagnostics;
using KeyInfra.Keys;
using KeyInfra.Pkcs11.Diagnostics;
using KeyInfra.Pkcs11.Errors;
using KeyInfra.Pkcs11.Slots;
using KeyInfra.Signing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>
/// Each failure a host meets with a PKCS#11 module, token, PIN or token object gives a typed error with its code, and
/// no PIN in any message or log. Runs on real SoftHSM2 tokens; what SoftHSM2 cannot simulate is said in docs/hsm.md.
/// </summary>
[TestClass]
public sealed class ErrorTests
{
    private const string WrongPin = "000000000000";

    [TestMethod]
    public async Task AddSlotAsync_WrongPin_PinIncorrectWithoutThePinAnywhere()
    {
        await using var host = await Pkcs11TestHost.StartAsync();

        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => host.AddSlotAsync("wrong-pin", SoftHsm.Token2, WrongPin));

        Assert.AreEqual(Pkcs11ErrorCodes.PinIncorrect, error.ErrorCode);
        Assert.AreEqual("CKR_PIN_INCORRECT", error.ReturnValue);
        StringAssert.StartsWith(error.Message, "KI6005: ");
        AssertNoPin(host, error, WrongPin, SoftHsm.Pin2);
        Assert.IsEmpty(await host.Hsm.ListSlotsAsync(), "A slot whose PIN the token refused was stored.");
    }

    [TestMethod]
    public async Task AddSlotAsync_WrongPinWhileAnotherSlotKeepsTheTokenLoggedIn_PinIncorrect()
    {
        // Arrange: a slot with the right PIN whose pool keeps the token logged in for this process; PKCS#11 then
        // answers any C_Login on that token with CKR_USER_ALREADY_LOGGED_IN, whatever the PIN.
        await using var host = await Pkcs11TestHost.StartAsync();
        await host.AddSlotAsync("right-pin", SoftHsm.Token2, SoftHsm.Pin2);
        await host.Hsm.TestSlotAsync("right-pin");

        // Act
        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => host.AddSlotAsync("wrong-pin-same-token", SoftHsm.Token2, WrongPin));

        // Assert: refused as a wrong PIN, nothing stored, and the right slot still works. (The logs name the default
        // tenant, whose id holds the wrong PIN's twelve zeros, so only the error is searched for it.)
        Assert.AreEqual(Pkcs11ErrorCodes.PinIncorrect, error.ErrorCode);
        Assert.DoesNotContain(WrongPin, error.ToString());
        AssertNoPin(host, error, SoftHsm.Pin2);
        Assert.AreEqual("right-pin", (await host.Hsm.ListSlotsAsync()).Single().Name);
        await host.Hsm.TestSlotAsync("right-pin");
    }

    [TestMethod]
    public async Task AddSlotAsync_TokenWithoutUserPin_PinLockedNotRetriedWithoutThePinAnywhere()
    {
        // SoftHSM2 has no lockout; a token whose user PIN was never set is its one state in which no PIN logs in.
        const string AnyPin = "424242424242";
        await using var host = await Pkcs11TestHost.StartAsync();
        using var errors = new MetricCollector<long>(host.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, Pkcs11Instruments.Errors);

        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => host.AddSlotAsync("no-user-pin", SoftHsm.NoUserPinToken, AnyPin));

        Assert.AreEqual(Pkcs11ErrorCodes.PinLocked, error.ErrorCode);
        Assert.AreEqual("CKR_USER_PIN_NOT_INITIALIZED", error.ReturnValue);
        StringAssert.StartsWith(error.Message, "KI6006: ");
        StringAssert.Contains(error.Message, "security officer");
        AssertNoPin(host, error, AnyPin);
        Assert.IsEmpty(await host.Hsm.ListSlotsAsync(), "A slot whose token refused every PIN was stored.");
        var refusals = errors.GetMeasurementSnapshot().Where(m => (string?)m.Tags[Pkcs11Instruments.ReturnValueTag] == "CKR_USER_PIN_NOT_INITIALIZED").Sum(m => m.Value);
        Assert.AreEqual(1, refusals, "The login was tried more than once.");
    }

    [TestMethod]
    public async Task TestSlotAsync_StoredPinNoLongerRight_FailsEveryTimeWithOneLoginAttempt()
    {
        await using var host = await Pkcs11TestHost.StartAsync();
        var slot = await host.AddSlotAsync("changed-pin", SoftHsm.Token2, SoftHsm.Pin2);

        // The token's PIN changed (the security officer reset it): the slot's ciphertext now holds a PIN the token refuses.
        var stored = (await host.HsmRepository.GetSlotAsync(host.Get<KeyInfra.Tenancy.ITenantContext>().TenantId, slot.Id))!;
        var module = (await host.HsmRepository.GetModuleAsync(stored.ModuleId))!;
        var pins = host.Get<SlotPins>();
        var (wrong, masterKeyId) = await pins.EncryptAsync(Encoding.UTF8.GetBytes(WrongPin), SlotPins.ContextFor(stored, module), default);
        Assert.IsTrue(await host.HsmRepository.ReplacePinAsync(stored.TenantId, stored.Id, stored.EncryptedPin, wrong, masterKeyId));

        await using var restarted = await Pkcs11TestHost.StartAsync(host.Folder, masterKey: host.MasterKey, ownsFolder: false);
        using var errors = new MetricCollector<long>(restarted.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, Pkcs11Instruments.Errors);
        var first = await Assert.ThrowsExactlyAsync<HsmException>(() => restarted.Hsm.TestSlotAsync("changed-pin"));
        var second = await Assert.ThrowsExactlyAsync<HsmException>(() => restarted.Hsm.TestSlotAsync("changed-pin"));

        Assert.AreEqual(Pkcs11ErrorCodes.PinIncorrect, first.ErrorCode);
        Assert.AreEqual(Pkcs11ErrorCodes.PinIncorrect, second.ErrorCode);
        var refusals = errors.GetMeasurementSnapshot().Where(m => (string?)m.Tags[Pkcs11Instruments.ReturnValueTag] == "CKR_PIN_INCORRECT").Sum(m => m.Value);
        Assert.AreEqual(1, refusals, "The wrong PIN was tried more than once: retries count towards the token's lockout.");
        AssertNoPin(restarted, second, WrongPin, SoftHsm.Pin2);
    }

    [TestMethod]
    public async Task AddModuleAsync_PathNotAllowed_RefusedBeforeLoading()
    {
        await using var host = await Pkcs11TestHost.StartAsync();
        var other = LibraryThatIsNotPkcs11();

        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => host.Hsm.AddModuleAsync("other", other));

        Assert.AreEqual(Pkcs11ErrorCodes.ModulePathNotAllowed, error.ErrorCode);
        Assert.IsEmpty(await host.Hsm.ListModulesAsync());
    }

    [TestMethod]
    public async Task SignAsync_ModuleRowRedirectedToAnotherLibrary_RefusedWithoutLoadingIt()
    {
        var folder = Pkcs11TestHost.NewFolder();
        KeyId keyId;
        string masterKey;
        await using (var host = await Pkcs11TestHost.StartAsync(folder))
        {
            await host.AddSlotAsync("redirected", SoftHsm.Token, SoftHsm.Pin);
            keyId = (await host.CreateHsmKeyAsync(KeySpec.EcdsaP256, "redirected")).Id;
            masterKey = host.MasterKey;
            await ExecuteAsync(host, "UPDATE hsm_modules SET library_path = $path", ("$path", LibraryThatIsNotPkcs11()));
        }

        // A database writer pointed the module at a library of their choice; the next host start must not load it.
        await using var restarted = await Pkcs11TestHost.StartAsync(folder, masterKey: masterKey, ownsFolder: true);
        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => restarted.Signer.SignAsync(new SignRequest(keyId, "data"u8.ToArray())));

        Assert.AreEqual(Pkcs11ErrorCodes.ModulePathNotAllowed, error.ErrorCode);
        Assert.IsTrue(restarted.Logs.Entries.Any(e => e.EventId.Id == 4003), "The refused load was not logged.");
        Assert.IsFalse((await restarted.Hsm.ListModulesAsync()).Single().IsAllowed);
    }

    [TestMethod]
    public async Task AddModuleAsync_MissingLibrary_ModuleLoadFailed()
    {
        var missing = Path.Combine(Pkcs11TestHost.NewFolder(), "libmissing-pkcs11.so");
        await using var host = await Pkcs11TestHost.StartAsync(pkcs11: o => o.AllowedModulePaths.Add(missing));

        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => host.Hsm.AddModuleAsync("missing", missing));

        Assert.AreEqual(Pkcs11ErrorCodes.ModuleLoadFailed, error.ErrorCode);
        StringAssert.Contains(error.Message, missing);
    }

    [TestMethod]
    public async Task AddModuleAsync_LibraryThatIsNotPkcs11_NotPkcs11Module()
    {
        var other = LibraryThatIsNotPkcs11();
        await using var host = await Pkcs11TestHost.StartAsync(pkcs11: o => o.AllowedModulePaths.Add(other));

        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => host.Hsm.AddModuleAsync("not-pkcs11", other));

        Assert.AreEqual(Pkcs11ErrorCodes.NotPkcs11Module, error.ErrorCode);
        Assert.IsEmpty(await host.Hsm.ListModulesAsync());
    }

    [TestMethod]
    public async Task AddSlotAsync_UnknownTokenLabel_TokenNotFound()
    {
        await using var host = await Pkcs11TestHost.StartAsync();

        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => host.AddSlotAsync("nowhere", "no-such-token", SoftHsm.Pin));

        Assert.AreEqual(Pkcs11ErrorCodes.TokenNotFound, error.ErrorCode);
        StringAssert.Contains(error.Message, "no-such-token");
        AssertNoPin(host, error, SoftHsm.Pin);
    }

    [TestMethod]
    public async Task SignAsync_KeyDeletedFromTokenBehindKeyInfrasBack_KeyObjectNotFound()
    {
        await using var host = await Pkcs11TestHost.StartAsync();
        await host.AddSlotAsync("deleted", SoftHsm.Token, SoftHsm.Pin);
        var key = await host.CreateHsmKeyAsync(KeySpec.EcdsaP256, "deleted");
        await host.Signer.SignAsync(new SignRequest(key.Id, "before"u8.ToArray()));

        SoftHsm.Run(SoftHsm.Pkcs11Tool, "--module", SoftHsm.ModulePath, "--token-label", SoftHsm.Token, "--login", "--pin", SoftHsm.Pin,
            "--delete-object", "--type", "privkey", "--id", Convert.ToHexStringLower(key.Id.Value.ToByteArray(bigEndian: true)));

        // The handle the signing cache keeps is stale now; the key is looked for again and is not there.
        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => host.Signer.SignAsync(new SignRequest(key.Id, "after"u8.ToArray())));
        Assert.AreEqual(Pkcs11ErrorCodes.KeyObjectNotFound, error.ErrorCode);
        StringAssert.Contains(error.Message, key.Id.ToString());
    }

    [TestMethod]
    public async Task SignAsync_ReferenceRedirectedToAnotherKeyInTheToken_TokenKeyMismatch()
    {
        var folder = Pkcs11TestHost.NewFolder();
        KeyId victim, other;
        string masterKey;
        await using (var host = await Pkcs11TestHost.StartAsync(folder))
        {
            await host.AddSlotAsync("redirect", SoftHsm.Token, SoftHsm.Pin);
            victim = (await host.CreateHsmKeyAsync(KeySpec.EcdsaP256, "redirect", name: "victim")).Id;
            other = (await host.CreateHsmKeyAsync(KeySpec.EcdsaP256, "redirect", name: "other")).Id;
            masterKey = host.MasterKey;

            // A database writer points the victim's private key at another key of the same token (same type, same slot).
            await ExecuteAsync(host,
                "UPDATE private_keys SET key_material = (SELECT key_material FROM private_keys WHERE key_id = (SELECT id FROM public_keys WHERE name = 'other')) " +
                "WHERE key_id = (SELECT id FROM public_keys WHERE name = 'victim')");
        }

        await using var restarted = await Pkcs11TestHost.StartAsync(folder, masterKey: masterKey, ownsFolder: true);
        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => restarted.Signer.SignAsync(new SignRequest(victim, "data"u8.ToArray())));

        Assert.AreEqual(Pkcs11ErrorCodes.TokenKeyMismatch, error.ErrorCode);
        Assert.IsTrue(restarted.Logs.Entries.Any(e => e.EventId.Id == 4006));
        // The key that really holds the object still signs.
        await restarted.Signer.SignAsync(new SignRequest(other, "data"u8.ToArray()));
    }

    [TestMethod]
    public async Task TestSlotAsync_PinCiphertextMovedToAnotherSlotRow_PinDecryptionFailed()
    {
        var folder = Pkcs11TestHost.NewFolder();
        string masterKey;
        await using (var host = await Pkcs11TestHost.StartAsync(folder))
        {
            await host.AddSlotAsync("first", SoftHsm.Token, SoftHsm.Pin);
            await host.AddSlotAsync("second", SoftHsm.Token, SoftHsm.Pin);
            masterKey = host.MasterKey;

            // A database writer copies the second slot's PIN ciphertext over the first's (both name the same token).
            await ExecuteAsync(host, "UPDATE hsm_slots SET encrypted_pin = (SELECT encrypted_pin FROM hsm_slots WHERE name = 'second') WHERE name = 'first'");
        }

        await using var restarted = await Pkcs11TestHost.StartAsync(folder, masterKey: masterKey, ownsFolder: true);
        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => restarted.Hsm.TestSlotAsync("first"));

        Assert.AreEqual(Pkcs11ErrorCodes.PinDecryptionFailed, error.ErrorCode);
        Assert.IsTrue((await restarted.Hsm.TestSlotAsync("second")).LoggedIn);
        AssertNoPin(restarted, error, SoftHsm.Pin);
    }

    [TestMethod]
    public async Task TestSlotAsync_SlotPointedAtAnotherToken_PinDecryptionFailed()
    {
        var folder = Pkcs11TestHost.NewFolder();
        string masterKey;
        await using (var host = await Pkcs11TestHost.StartAsync(folder))
        {
            await host.AddSlotAsync("moved", SoftHsm.Token, SoftHsm.Pin);
            masterKey = host.MasterKey;
            await ExecuteAsync(host, "UPDATE hsm_slots SET token_label = $label WHERE name = 'moved'", ("$label", SoftHsm.Token2));
        }

        await using var restarted = await Pkcs11TestHost.StartAsync(folder, masterKey: masterKey, ownsFolder: true);
        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => restarted.Hsm.TestSlotAsync("moved"));

        Assert.AreEqual(Pkcs11ErrorCodes.PinDecryptionFailed, error.ErrorCode);
    }

    [TestMethod]
    public async Task SignAsync_UnknownSlotOption_SlotNotFound()
    {
        await using var host = await Pkcs11TestHost.StartAsync();

        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => host.CreateHsmKeyAsync(KeySpec.EcdsaP256, "no-such-slot"));

        Assert.AreEqual(Pkcs11ErrorCodes.SlotNotFound, error.ErrorCode);
    }

    [TestMethod]
    public async Task CreateAsync_UnknownBackendOption_ArgumentException()
    {
        await using var host = await Pkcs11TestHost.StartAsync();
        await host.AddSlotAsync("options", SoftHsm.Token, SoftHsm.Pin);

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => host.CreateHsmKeyAsync(KeySpec.EcdsaP256, "options", backendOptions: o => o["extractable"] = "true"));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => host.CreateHsmKeyAsync(KeySpec.EcdsaP256, "options", backendOptions: o => o[Pkcs11BackendOptionNames.AdoptId] = "not-hex"));
    }

    internal static async Task ExecuteAsync(Pkcs11TestHost host, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        Assert.IsGreaterThan(0, await command.ExecuteNonQueryAsync(), $"The statement changed no row: {sql}");
    }

    // A real shared library on this machine that is not a PKCS#11 module.
    internal static string LibraryThatIsNotPkcs11()
    {
        foreach (var candidate in new[] { "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/aarch64-linux-gnu/libz.so.1", "/usr/lib/aarch64-linux-gnu/libz.so.1" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Inconclusive("No libz.so.1 on this machine to stand for a library that is not a PKCS#11 module.");
        return string.Empty;
    }

    internal static void AssertNoPin(Pkcs11TestHost host, Exception error, params string[] pins)
    {
        var texts = new[] { error.ToString(), host.AllLogText() };
        foreach (var pin in pins)
        {
            foreach (var text in texts)
            {
                Assert.IsFalse(text.Contains(pin, StringComparison.Ordinal), "A PIN appears in an exception or a log line.");
            }
        }
    }
}
