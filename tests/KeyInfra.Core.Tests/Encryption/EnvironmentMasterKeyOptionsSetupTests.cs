using KeyInfra.Encryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyInfra.Core.Tests.Encryption;

/// <summary>Reads real environment variables of this process, so it never runs beside other test classes.</summary>
[TestClass]
[DoNotParallelize]
public sealed class EnvironmentMasterKeyOptionsSetupTests
{
    private static readonly string[] Variables =
    [
        EnvironmentMasterKeyOptions.MasterKeyVariable,
        EnvironmentMasterKeyOptions.MasterSecretVariable,
        EnvironmentMasterKeyOptions.PreviousMasterKeysVariable,
        EnvironmentMasterKeyOptions.MasterKeyIdVariable,
        EnvironmentMasterKeyOptions.MasterSecretDerivationVariable,
    ];

    private readonly Dictionary<string, string?> _saved = [];

    [TestInitialize]
    public void SaveAndClearVariables()
    {
        foreach (var name in Variables)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [TestCleanup]
    public void RestoreVariables()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    [TestMethod]
    public async Task Configure_VariablesSet_ProviderUsesThem()
    {
        var current = TestMasterKeys.NewKey();
        var previous = TestMasterKeys.NewKey();
        Environment.SetEnvironmentVariable("KEYINFRA_MASTER_KEY", Convert.ToBase64String(current));
        Environment.SetEnvironmentVariable("KEYINFRA_MASTER_KEY_ID", "from-env");
        Environment.SetEnvironmentVariable("KEYINFRA_PREVIOUS_MASTER_KEYS", Convert.ToHexString(previous));
        var options = new EnvironmentMasterKeyOptions();

        new EnvironmentMasterKeyOptionsSetup().Configure(options);
        using var provider = TestMasterKeys.Provider(options);
        using var lease = await provider.AcquireRingAsync();
        var key = lease.Ring.Current;
        var old = lease.Ring.Find(MasterKey.Fingerprint(previous));

        Assert.AreEqual("from-env", key.Id);
        using var expected = new MasterKey(current);
        Assert.IsTrue(key.MatchesCheckValue(expected.ComputeCheckValue()));
        Assert.IsNotNull(old);
        Assert.IsNull(options.MasterSecret);
    }

    [TestMethod]
    [DataRow(null, MasterSecretDerivation.Argon2id)]
    [DataRow("argon2id", MasterSecretDerivation.Argon2id)]
    [DataRow("hkdf-sha256-development-only", MasterSecretDerivation.HkdfSha256DevelopmentOnly)]
    public void Configure_DerivationVariable_ReadsIt(string? value, MasterSecretDerivation expected)
    {
        Environment.SetEnvironmentVariable(EnvironmentMasterKeyOptions.MasterSecretDerivationVariable, value);
        var options = new EnvironmentMasterKeyOptions();

        new EnvironmentMasterKeyOptionsSetup().Configure(options);

        Assert.AreEqual(expected, options.MasterSecretDerivation);
    }

    [TestMethod]
    [DataRow("hkdf")]
    [DataRow("HKDF-SHA256-DEVELOPMENT-ONLY")]
    public void Configure_UnknownDerivation_FailsValidationNamingTheVariable(string value)
    {
        Environment.SetEnvironmentVariable(EnvironmentMasterKeyOptions.MasterSecretDerivationVariable, value);
        var options = new EnvironmentMasterKeyOptions { MasterSecret = "a-long-random-secret-from-the-environment-0123" };

        new EnvironmentMasterKeyOptionsSetup().Configure(options);
        options.MasterSecret = "a-long-random-secret-from-the-environment-0123";
        var result = new EnvironmentMasterKeyOptionsValidator().Validate(null, options);

        Assert.IsTrue(result.Failed);
        Assert.Contains(EnvironmentMasterKeyOptions.MasterSecretDerivationVariable, result.FailureMessage);
    }

    [TestMethod]
    public void Configure_MasterSecretSet_ReadsIt()
    {
        Environment.SetEnvironmentVariable("MASTER_SECRET", "a-long-random-secret-from-the-environment-0123");
        var options = new EnvironmentMasterKeyOptions();

        new EnvironmentMasterKeyOptionsSetup().Configure(options);

        Assert.AreEqual("a-long-random-secret-from-the-environment-0123", options.MasterSecret);
        Assert.IsNull(options.MasterKey);
    }

    [TestMethod]
    public void Configure_EmptyVariables_LeavesThemUnset()
    {
        // An empty value (KEY= in a compose file) is not a key; the missing-key error is clearer than a malformed one.
        Environment.SetEnvironmentVariable("KEYINFRA_MASTER_KEY", null);
        Environment.SetEnvironmentVariable("KEYINFRA_MASTER_KEY_ID", "");
        var options = new EnvironmentMasterKeyOptions { MasterKeyId = "preset" };

        new EnvironmentMasterKeyOptionsSetup().Configure(options);

        Assert.IsNull(options.MasterKey);
        Assert.IsNull(options.MasterKeyId);
    }

    [TestMethod]
    public async Task UseEnvironmentMasterKey_DelegateGiven_RunsAfterTheVariablesAreRead()
    {
        Environment.SetEnvironmentVariable("KEYINFRA_MASTER_KEY", Convert.ToBase64String(TestMasterKeys.NewKey()));
        Environment.SetEnvironmentVariable("KEYINFRA_MASTER_KEY_ID", "from-env");
        var services = new ServiceCollection();
        services.AddKeyInfrastructure().UseEnvironmentMasterKey(o => o.MasterKeyId = "from-code");

        // Runs the registered configure steps in registration order, as OptionsFactory does.
        var options = new EnvironmentMasterKeyOptions();
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IConfigureOptions<EnvironmentMasterKeyOptions>)))
        {
            var step = (IConfigureOptions<EnvironmentMasterKeyOptions>)(descriptor.ImplementationInstance ?? Activator.CreateInstance(descriptor.ImplementationType!)!);
            step.Configure(options);
        }

        using var provider = TestMasterKeys.Provider(options);
        using var lease = await provider.AcquireRingAsync();
        var key = lease.Ring.Current;

        Assert.AreEqual("from-code", key.Id);
    }
}
