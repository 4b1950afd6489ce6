using System.Text;
using KeyInfra.Keys;
using KeyInfra.Pkcs11.Errors;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>Keys another tool (pkcs11-tool) put in the token, registered by KeyInfra (keys adopt) and used like its own.</summary>
[TestClass]
public sealed class AdoptionTests
{
    private const string Slot = "adopt";
    private static Pkcs11TestHost s_host = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        s_host = await Pkcs11TestHost.StartAsync();
        await s_host.AddSlotAsync(Slot, SoftHsm.Token, SoftHsm.Pin);
    }

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        if (s_host is not null)
        {
            await s_host.DisposeAsync();
        }
    }

    [TestMethod]
    [DataRow("ecdsa-p256", "EC:prime256v1")]
    [DataRow("ecdsa-secp256k1", "EC:secp256k1")]
    [DataRow("ed25519", "EC:edwards25519")]
    [DataRow("rsa-2048", "rsa:2048")]
    public async Task CreateAsync_AdoptKeyMadeByPkcs11Tool_SignsAndVerifies(string specName, string keyType)
    {
        var spec = KeySpec.Parse(specName);
        var (label, id) = MakeWithPkcs11Tool(keyType, sensitive: true);

        var key = await s_host.CreateHsmKeyAsync(spec, Slot, name: $"adopted-{specName}", backendOptions: o => o[Pkcs11BackendOptionNames.AdoptLabel] = label);

        var spki = await s_host.KeyStore.ExportPublicKeyAsync(key.Id, KeyFormat.Der);
        var data = Encoding.UTF8.GetBytes($"signed with a key pkcs11-tool made ({specName})");
        var signed = await s_host.Signer.SignAsync(new SignRequest(key.Id, data));
        Assert.AreEqual(VerificationStatus.Valid, (await s_host.Verifier.VerifyAsync(new VerificationRequest(key.Id, data, signed.Signature))).Status);
        Assert.IsTrue(PlatformVerifier.Verify(spec, spki, data, signed.Signature));

        // The adopted key's public key is the token's own, as pkcs11-tool reads it.
        var exported = SoftHsm.Run(SoftHsm.Pkcs11Tool, "--module", SoftHsm.ModulePath, "--token-label", SoftHsm.Token, "--read-object", "--type", "pubkey", "--id", id,
            "--output-file", Path.Combine(s_host.Folder, $"{id}.der"));
        Assert.IsNotNull(exported);
        var read = File.ReadAllBytes(Path.Combine(s_host.Folder, $"{id}.der"));
        if (read.AsSpan().StartsWith("-----BEGIN"u8))
        {
            // pkcs11-tool writes some keys (Ed25519) as PEM.
            read = System.Security.Cryptography.PemEncoding.Find(Encoding.ASCII.GetString(read)) is var pem && Encoding.ASCII.GetString(read)[pem.Label] == "PUBLIC KEY"
                ? Convert.FromBase64String(Encoding.ASCII.GetString(read)[pem.Base64Data])
                : read;
        }

        CollectionAssert.AreEqual(read, spki);
    }

    [TestMethod]
    public async Task CreateAsync_AdoptById_FindsTheKey()
    {
        var (_, id) = MakeWithPkcs11Tool("EC:secp384r1", sensitive: true);

        var key = await s_host.CreateHsmKeyAsync(KeySpec.EcdsaP384, Slot, name: "adopted-by-id", backendOptions: o => o[Pkcs11BackendOptionNames.AdoptId] = id);

        var signed = await s_host.Signer.SignAsync(new SignRequest(key.Id, "by id"u8.ToArray()));
        Assert.AreEqual(VerificationStatus.Valid, (await s_host.Verifier.VerifyAsync(new VerificationRequest(key.Id, "by id"u8.ToArray(), signed.Signature))).Status);
    }

    [TestMethod]
    public async Task CreateAsync_AdoptExtractableKey_KeyObjectUnfit()
    {
        var (label, _) = MakeWithPkcs11Tool("EC:prime256v1", sensitive: false, extractable: true);

        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => s_host.CreateHsmKeyAsync(KeySpec.EcdsaP256, Slot, backendOptions: o => o[Pkcs11BackendOptionNames.AdoptLabel] = label));

        Assert.AreEqual(Pkcs11ErrorCodes.KeyObjectUnfit, error.ErrorCode);
    }

    [TestMethod]
    public async Task CreateAsync_AdoptWithTheWrongSpec_KeyObjectUnfit()
    {
        var (label, _) = MakeWithPkcs11Tool("EC:prime256v1", sensitive: true);

        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => s_host.CreateHsmKeyAsync(KeySpec.EcdsaP384, Slot, backendOptions: o => o[Pkcs11BackendOptionNames.AdoptLabel] = label));

        Assert.AreEqual(Pkcs11ErrorCodes.KeyObjectUnfit, error.ErrorCode);
        StringAssert.Contains(error.Message, "curve");
    }

    [TestMethod]
    public async Task CreateAsync_AdoptUnknownLabel_KeyObjectNotFound()
    {
        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => s_host.CreateHsmKeyAsync(KeySpec.EcdsaP256, Slot, backendOptions: o => o[Pkcs11BackendOptionNames.AdoptLabel] = "no-such-object"));

        Assert.AreEqual(Pkcs11ErrorCodes.KeyObjectNotFound, error.ErrorCode);
    }

    [TestMethod]
    public async Task CreateAsync_AdoptLabelTwoKeysShare_KeyObjectAmbiguous()
    {
        var label = $"shared-{Guid.NewGuid():N}"[..24];
        MakeWithPkcs11Tool("EC:prime256v1", sensitive: true, label: label);
        MakeWithPkcs11Tool("EC:prime256v1", sensitive: true, label: label);

        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => s_host.CreateHsmKeyAsync(KeySpec.EcdsaP256, Slot, backendOptions: o => o[Pkcs11BackendOptionNames.AdoptLabel] = label));

        Assert.AreEqual(Pkcs11ErrorCodes.KeyObjectAmbiguous, error.ErrorCode);
    }

    private static (string Label, string Id) MakeWithPkcs11Tool(string keyType, bool sensitive, bool extractable = false, string? label = null)
    {
        label ??= $"adopt-{Guid.NewGuid():N}"[..20];
        var id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var arguments = new List<string>
        {
            "--module", SoftHsm.ModulePath, "--token-label", SoftHsm.Token, "--login", "--pin", SoftHsm.Pin,
            "--keypairgen", "--key-type", keyType, "--label", label, "--id", id, "--usage-sign",
        };
        if (sensitive)
        {
            arguments.Add("--sensitive");
        }

        if (extractable)
        {
            arguments.Add("--extractable");
        }

        SoftHsm.Run(SoftHsm.Pkcs11Tool, [.. arguments]);
        return (label, id);
    }
}
