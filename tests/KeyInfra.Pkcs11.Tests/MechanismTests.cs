using System.Runtime.InteropServices;
using System.Text;
using KeyInfra.Keys;
using KeyInfra.Pkcs11.Errors;
using KeyInfra.Pkcs11.Slots;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>
/// A token that lacks mechanisms: a copy of libsofthsm2.so (so it is a module of its own in this process) loaded while
/// SOFTHSM2_CONF names a configuration that turns Ed25519 and RSA-PSS off (slots.mechanisms). SoftHSM2 reads the
/// variable with getenv when it initialises, so the test sets it with libc's setenv (.NET's environment is not seen by
/// native code) around the class, which runs alone, after the parallel ones.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class MechanismTests
{
    private const string ModuleName = "restricted";
    private static string? s_previousConf;
    private static Pkcs11TestHost s_host = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        var module = SoftHsm.Require("KEYINFRA_TEST_HSM_RESTRICTED_MODULE");
        s_previousConf = Environment.GetEnvironmentVariable("SOFTHSM2_CONF");
        Assert.AreEqual(0, SetEnv("SOFTHSM2_CONF", SoftHsm.Require("KEYINFRA_TEST_HSM_RESTRICTED_CONF"), 1));
        s_host = await Pkcs11TestHost.StartAsync(pkcs11: o => o.AllowedModulePaths.Add(module));
        await s_host.Hsm.AddModuleAsync(ModuleName, module);
        var pin = Encoding.UTF8.GetBytes(SoftHsm.Require("KEYINFRA_TEST_HSM_RESTRICTED_PIN"));
        await s_host.Hsm.AddSlotAsync(new AddHsmSlotRequest("restricted", ModuleName) { TokenLabel = SoftHsm.Require("KEYINFRA_TEST_HSM_RESTRICTED_TOKEN") }, pin);
    }

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        if (s_host is not null)
        {
            await s_host.DisposeAsync();
        }

        if (s_previousConf is not null)
        {
            Assert.AreEqual(0, SetEnv("SOFTHSM2_CONF", s_previousConf, 1));
        }
    }

    [TestMethod]
    public async Task CreateAsync_Ed25519OnATokenWithoutEdDsa_MechanismNotSupported()
    {
        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => s_host.CreateHsmKeyAsync(KeySpec.Ed25519, "restricted"));

        Assert.AreEqual(Pkcs11ErrorCodes.MechanismNotSupported, error.ErrorCode);
        StringAssert.Contains(error.Message, "CKM_EC_EDWARDS_KEY_PAIR_GEN");
    }

    [TestMethod]
    public async Task SignAsync_RsaPssOnATokenWithoutPss_MechanismNotSupportedWhilePkcs1Signs()
    {
        var key = await s_host.CreateHsmKeyAsync(KeySpec.Rsa2048, "restricted", padding: RsaPadding.Pkcs1);
        var data = "a document"u8.ToArray();

        var signed = await s_host.Signer.SignAsync(new SignRequest(key.Id, data));
        Assert.AreEqual(VerificationStatus.Valid, (await s_host.Verifier.VerifyAsync(new VerificationRequest(key.Id, data, signed.Signature))).Status);

        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => s_host.Signer.SignAsync(new SignRequest(key.Id, data) { Options = new SignatureOptions { RsaPadding = RsaPadding.Pss } }));
        Assert.AreEqual(Pkcs11ErrorCodes.MechanismNotSupported, error.ErrorCode);
        Assert.AreEqual("CKR_MECHANISM_INVALID", error.ReturnValue);
    }

#pragma warning disable SYSLIB1054 // DllImport keeps the test project free of unsafe code.
    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnv(string name, string value, int overwrite);
#pragma warning restore SYSLIB1054
}
