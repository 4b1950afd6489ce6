using System.Security.Cryptography;

namespace KeyInfra.Sample.Tests;

/// <summary>
/// The HSM commands with process-wide variables changed (no PKCS#11 module, the default PIN variable, a rotated master
/// key), so this class runs alone.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class HsmEnvironmentTests
{
    private const string ModuleVariable = "KEYINFRA_PKCS11_MODULE";
    private const string PinVariable = "KEYINFRA_HSM_PIN";
    private const string MasterKeyVariable = "KEYINFRA_MASTER_KEY";
    private const string PreviousKeysVariable = "KEYINFRA_PREVIOUS_MASTER_KEYS";

    private readonly Dictionary<string, string?> _saved = [];

    [TestInitialize]
    public void SaveEnvironment()
    {
        foreach (var variable in new[] { ModuleVariable, PinVariable, MasterKeyVariable, PreviousKeysVariable })
        {
            _saved[variable] = Environment.GetEnvironmentVariable(variable);
        }
    }

    [TestCleanup]
    public void RestoreEnvironment()
    {
        foreach (var (variable, value) in _saved)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }
    }

    [TestMethod]
    public async Task Demo_NoPkcs11Module_SaysHowToSetUpSoftHsm()
    {
        // Arrange
        Environment.SetEnvironmentVariable(ModuleVariable, null);
        using var workspace = new SampleWorkspace();

        // Act
        var table = await workspace.RunAsync();
        var json = await workspace.RunAsync("--json");

        // Assert: the demo still succeeds, and says how to get a token.
        table.AssertExitCode(0);
        StringAssert.Contains(table.Output, "No PKCS#11 library is configured");
        StringAssert.Contains(table.Output, "softhsm2-util --init-token");
        StringAssert.Contains(table.Output, "export KEYINFRA_PKCS11_MODULE=");
        json.AssertExitCode(0);
        var hsm = json.Json().RootElement.GetProperty("hsm");
        Assert.IsFalse(hsm.GetProperty("configured").GetBoolean());
        StringAssert.Contains(hsm.GetProperty("howToSetUp").GetString(), "SOFTHSM2_CONF");
    }

    [TestMethod]
    public async Task HsmCommands_NoPkcs11Module_ExitTwoSayingHowToConfigureIt()
    {
        // Arrange
        Environment.SetEnvironmentVariable(ModuleVariable, null);
        using var workspace = new SampleWorkspace();

        // Act
        var list = await workspace.RunAsync("hsm", "slots", "list");
        var create = await workspace.RunAsync("keys", "create", "--type", "ecdsa-p256", "--name", "x", "--hsm", "main");

        // Assert
        foreach (var result in new[] { list, create })
        {
            result.AssertExitCode(2);
            StringAssert.Contains(result.Error, "set KEYINFRA_PKCS11_MODULE");
        }
    }

    [TestMethod]
    public async Task Run_RelativeModulePath_IsRefusedAtStartAsInvalidConfiguration()
    {
        // Arrange
        Environment.SetEnvironmentVariable(ModuleVariable, "libsofthsm2.so");
        using var workspace = new SampleWorkspace();

        // Act
        var result = await workspace.RunAsync("hsm", "modules", "list");

        // Assert
        result.AssertExitCode(2);
        StringAssert.Contains(result.Error, "the configuration is invalid");
        StringAssert.Contains(result.Error, "absolute");
    }

    [TestMethod]
    public async Task SlotsAdd_DefaultPinVariable_IsReadWhenNoSourceIsNamed()
    {
        // Arrange
        using var hsm = await HsmSlotFixture.CreateAsync(slot: null);
        Environment.SetEnvironmentVariable(PinVariable, null);
        var missing = await hsm.Workspace.RunAsync("hsm", "slots", "add", "--name", "main", "--module", HsmSlotFixture.ModuleName, "--token-label", hsm.Token.Label);
        Environment.SetEnvironmentVariable(PinVariable, hsm.Token.Pin);

        // Act
        var add = await hsm.Workspace.RunAsync("hsm", "slots", "add", "--name", "main", "--module", HsmSlotFixture.ModuleName, "--token-label", hsm.Token.Label);

        // Assert: without a PIN source, a usage error (standard input is not a terminal here); with the variable, the slot.
        missing.AssertExitCode(2);
        StringAssert.Contains(missing.Error, "No PIN given");
        add.AssertExitCode(0);
        hsm.AssertPinNotShown(add);
    }

    [TestMethod]
    public async Task Reencrypt_AfterMasterKeyRotation_RewrapsSlotPinsAndTheOldKeyIsNoLongerNeeded()
    {
        // Arrange: a slot (and a key in its token) under the development key, then the documented rotation.
        Environment.SetEnvironmentVariable(MasterKeyVariable, null);
        Environment.SetEnvironmentVariable(PreviousKeysVariable, null);
        using var hsm = await HsmSlotFixture.CreateAsync();
        var keyId = await hsm.CreateHsmKeyAsync("ecdsa-p256");
        var before = (await hsm.Workspace.RunAsync("hsm", "slots", "list", "--json")).Json().RootElement.GetProperty("items")[0].GetProperty("masterKeyId").GetString();
        var developmentKey = (await File.ReadAllTextAsync(hsm.Workspace.DevelopmentKeyPath)).Trim();
        Environment.SetEnvironmentVariable(MasterKeyVariable, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Environment.SetEnvironmentVariable(PreviousKeysVariable, developmentKey);

        // Act
        var reencrypt = await hsm.Workspace.RunAsync("reencrypt", "--json");
        var again = await hsm.Workspace.RunAsync("reencrypt");
        Environment.SetEnvironmentVariable(PreviousKeysVariable, null);
        var test = await hsm.Workspace.RunAsync("hsm", "slots", "test", "main");
        var sign = await hsm.Workspace.RunAsync("sign", "--key", keyId, "--text", "after rotation");
        var after = (await hsm.Workspace.RunAsync("hsm", "slots", "list", "--json")).Json().RootElement.GetProperty("items")[0].GetProperty("masterKeyId").GetString();

        // Assert: the PIN is under the new key, and logs in without the old one.
        reencrypt.AssertExitCode(0);
        var pins = reencrypt.Json().RootElement.GetProperty("hsmPins");
        Assert.AreEqual(1, pins.GetProperty("rewrapped").GetInt32());
        Assert.AreEqual(0, pins.GetProperty("failed").GetInt32());
        again.AssertExitCode(0);
        StringAssert.Contains(again.Output, "HSM PINS REWRAPPED");
        test.AssertExitCode(0);
        sign.AssertExitCode(0);
        Assert.AreNotEqual(before, after);
    }

    [TestMethod]
    public async Task Reencrypt_SlotsUnderAnOldKeyWithoutPkcs11Package_ExitsThreeSayingThePinsWereNotRewrapped()
    {
        // Arrange: a slot stored while the module was configured, under the development key; then a rotation, and the
        // sample runs without the module.
        Environment.SetEnvironmentVariable(MasterKeyVariable, null);
        Environment.SetEnvironmentVariable(PreviousKeysVariable, null);
        using var hsm = await HsmSlotFixture.CreateAsync();
        Environment.SetEnvironmentVariable(ModuleVariable, null);
        var unrotated = await hsm.Workspace.RunAsync("reencrypt", "--json");
        var developmentKey = (await File.ReadAllTextAsync(hsm.Workspace.DevelopmentKeyPath)).Trim();
        Environment.SetEnvironmentVariable(MasterKeyVariable, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Environment.SetEnvironmentVariable(PreviousKeysVariable, developmentKey);

        // Act
        var table = await hsm.Workspace.RunAsync("reencrypt");
        var json = await hsm.Workspace.RunAsync("reencrypt", "--json");

        // Assert: before the rotation nothing needed the module; after it, the PIN stays under the old key, and says so.
        unrotated.AssertExitCode(0);
        Assert.AreEqual(0, unrotated.Json().RootElement.GetProperty("hsmSlotsNotRewrapped").GetInt32());
        table.AssertExitCode(3);
        StringAssert.Contains(table.Output, "1 HSM slot PIN(s) were not re-wrapped");
        json.AssertExitCode(3);
        Assert.AreEqual(1, json.Json().RootElement.GetProperty("hsmSlotsNotRewrapped").GetInt32());
    }
}
