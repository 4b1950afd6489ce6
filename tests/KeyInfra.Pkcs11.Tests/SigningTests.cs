using System.Security.Cryptography;
using System.Text;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>Every algorithm generated in the SoftHSM2 token and signed through IKeyStore and ISigner, verified by IVerifier and by the platform.</summary>
[TestClass]
public sealed class SigningTests
{
    private const string Slot = "signing";
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
    [DataRow("ecdsa-p256")]
    [DataRow("ecdsa-p384")]
    [DataRow("ecdsa-p521")]
    [DataRow("ecdsa-secp256k1")]
    public async Task SignAsync_EcdsaKeyInToken_VerifiesInBothEncodingsForDataAndHash(string specName)
    {
        var spec = KeySpec.Parse(specName);
        var key = await s_host.CreateHsmKeyAsync(spec, Slot);
        var spki = await s_host.KeyStore.ExportPublicKeyAsync(key.Id, KeyFormat.Der);
        var data = Encoding.UTF8.GetBytes($"a document for {specName}");

        foreach (var encoding in new[] { SignatureEncoding.P1363, SignatureEncoding.Der })
        {
            var options = new SignatureOptions { Encoding = encoding };
            var signed = await s_host.Signer.SignAsync(new SignRequest(key.Id, data) { Options = options });
            Assert.IsTrue(PlatformVerifier.Verify(spec, spki, data, signed.Signature, encoding), $"{specName} {encoding}: the platform refused the token's signature.");
            var verified = await s_host.Verifier.VerifyAsync(new VerificationRequest(key.Id, data, signed.Signature) { Options = options });
            Assert.AreEqual(VerificationStatus.Valid, verified.Status, $"{specName} {encoding}");

            var hash = spec.DefaultHashAlgorithm == HashAlgorithmName.SHA256 ? SHA256.HashData(data) : spec.DefaultHashAlgorithm == HashAlgorithmName.SHA384 ? SHA384.HashData(data) : SHA512.HashData(data);
            var signedHash = await s_host.Signer.SignAsync(SignRequest.ForHash(key.Id, hash) with { Options = options });
            Assert.IsTrue(PlatformVerifier.Verify(spec, spki, data, signedHash.Signature, encoding), $"{specName} {encoding}: a signed hash does not verify over the data.");
        }

        var tampered = Encoding.UTF8.GetBytes("another document");
        var signature = (await s_host.Signer.SignAsync(new SignRequest(key.Id, data))).Signature;
        Assert.AreEqual(VerificationStatus.InvalidSignature, (await s_host.Verifier.VerifyAsync(new VerificationRequest(key.Id, tampered, signature))).Status);
    }

    [TestMethod]
    [DataRow(2048)]
    [DataRow(3072)]
    [DataRow(4096)]
    public async Task SignAsync_RsaKeyInToken_VerifiesWithPssAndPkcs1(int bits)
    {
        var spec = KeySpec.Rsa(bits);
        var key = await s_host.CreateHsmKeyAsync(spec, Slot);
        var spki = await s_host.KeyStore.ExportPublicKeyAsync(key.Id, KeyFormat.Der);
        var data = Encoding.UTF8.GetBytes($"a document for rsa-{bits}");

        foreach (var padding in new[] { RsaPadding.Pss, RsaPadding.Pkcs1 })
        {
            foreach (var hash in new[] { HashAlgorithmName.SHA256, HashAlgorithmName.SHA384, HashAlgorithmName.SHA512 })
            {
                var options = new SignatureOptions { RsaPadding = padding, HashAlgorithm = hash };
                var signed = await s_host.Signer.SignAsync(new SignRequest(key.Id, data) { Options = options });
                Assert.AreEqual(bits / 8, signed.Signature.Length);
                Assert.IsTrue(PlatformVerifier.Verify(spec, spki, data, signed.Signature, padding: padding, hash: hash), $"rsa-{bits} {padding} {hash.Name}: the platform refused it.");
                var verified = await s_host.Verifier.VerifyAsync(new VerificationRequest(key.Id, data, signed.Signature) { Options = options });
                Assert.AreEqual(VerificationStatus.Valid, verified.Status, $"rsa-{bits} {padding} {hash.Name}");
            }
        }

        // PSS with a salt length of the key's own choosing, through the PKCS#11 mechanism's parameters.
        var zeroSalt = new SignatureOptions { RsaPadding = RsaPadding.Pss, PssSaltLength = 0 };
        var deterministic1 = await s_host.Signer.SignAsync(new SignRequest(key.Id, data) { Options = zeroSalt });
        var deterministic2 = await s_host.Signer.SignAsync(new SignRequest(key.Id, data) { Options = zeroSalt });
        CollectionAssert.AreEqual(deterministic1.Signature, deterministic2.Signature, "PSS with an empty salt is deterministic; the salt length did not reach the token.");
        Assert.AreEqual(VerificationStatus.Valid, (await s_host.Verifier.VerifyAsync(new VerificationRequest(key.Id, data, deterministic1.Signature) { Options = zeroSalt })).Status);
    }

    [TestMethod]
    public async Task SignAsync_Ed25519KeyInToken_SignsTheMessageAndRefusesAHash()
    {
        var key = await s_host.CreateHsmKeyAsync(KeySpec.Ed25519, Slot);
        var spki = await s_host.KeyStore.ExportPublicKeyAsync(key.Id, KeyFormat.Der);
        var data = Encoding.UTF8.GetBytes("an Ed25519 message");

        var signed = await s_host.Signer.SignAsync(new SignRequest(key.Id, data));
        Assert.AreEqual(64, signed.Signature.Length);
        Assert.IsTrue(PlatformVerifier.Verify(KeySpec.Ed25519, spki, data, signed.Signature));
        Assert.AreEqual(VerificationStatus.Valid, (await s_host.Verifier.VerifyAsync(new VerificationRequest(key.Id, data, signed.Signature))).Status);

        // Pure EdDSA is deterministic: the token signs the message, not something else.
        CollectionAssert.AreEqual(signed.Signature, (await s_host.Signer.SignAsync(new SignRequest(key.Id, data))).Signature);
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => s_host.Signer.SignAsync(SignRequest.ForHash(key.Id, SHA256.HashData(data))));
    }

    [TestMethod]
    public async Task CreateAsync_Pkcs11Backend_StoresOnlyAReferenceAndTheSlot()
    {
        var key = await s_host.CreateHsmKeyAsync(KeySpec.EcdsaP256, Slot);
        var slot = (await s_host.Hsm.ListSlotsAsync()).Single(s => s.Name == Slot);

        var stored = await s_host.KeyRepository.FindAsync(key.TenantId, key.Id, includePrivateKey: true);
        Assert.IsNotNull(stored?.PrivateKey);
        Assert.AreEqual(Pkcs11BackendOptionNames.BackendName, stored.PrivateKey.Backend);
        Assert.AreEqual(PrivateKeyProtection.Hsm, stored.PrivateKey.Protection);
        Assert.AreEqual(slot.Id, stored.PrivateKey.HsmSlotId);
        Assert.IsNull(stored.PrivateKey.MasterKeyId);
        var reference = Keys.ObjectReference.Parse(stored.PrivateKey.Material, key.Id.Value);
        Assert.AreEqual($"keyinfra-{key.Id}", reference.Label);
        CollectionAssert.AreEqual(key.Id.Value.ToByteArray(bigEndian: true), reference.Id);
    }

    [TestMethod]
    public async Task CreateAsync_GeneratedKey_IsASensitiveNeverExtractableTokenObject()
    {
        var key = await s_host.CreateHsmKeyAsync(KeySpec.EcdsaP256, Slot);

        var listing = SoftHsm.Run(SoftHsm.Pkcs11Tool, "--module", SoftHsm.ModulePath, "--token-label", SoftHsm.Token, "--login", "--pin", SoftHsm.Pin,
            "--list-objects", "--type", "privkey");

        // pkcs11-tool's own view of the object: its block starts at its label.
        var start = listing.IndexOf($"label:      keyinfra-{key.Id}", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, start, listing);
        var end = listing.IndexOf("Object;", start, StringComparison.Ordinal);
        var block = end < 0 ? listing[start..] : listing[start..end];
        StringAssert.Contains(block, "Access:     sensitive, always sensitive, never extractable, local");
        StringAssert.Contains(block, "Usage:      sign");
        Assert.IsFalse(block.Contains("decrypt", StringComparison.Ordinal) || block.Contains("unwrap", StringComparison.Ordinal) || block.Contains("derive", StringComparison.Ordinal), block);
    }

    [TestMethod]
    public async Task RotateAsync_RingOfHsmKeys_NewVersionInTheSameSlot()
    {
        var ring = $"hsm-ring-{Guid.NewGuid():N}";
        var first = await s_host.KeyStore.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "ring")
        {
            RingName = ring,
            Backend = Pkcs11BackendOptionNames.BackendName,
            BackendOptions = new Dictionary<string, string> { [Pkcs11BackendOptionNames.Slot] = Slot },
        });

        var second = await s_host.KeyStore.RotateAsync(ring);

        var stored = await s_host.KeyRepository.FindAsync(second.TenantId, second.Id, includePrivateKey: true);
        Assert.AreEqual(Pkcs11BackendOptionNames.BackendName, stored!.PrivateKey!.Backend);
        var firstStored = await s_host.KeyRepository.FindAsync(first.TenantId, first.Id, includePrivateKey: true);
        Assert.AreEqual(firstStored!.PrivateKey!.HsmSlotId, stored.PrivateKey.HsmSlotId);
        var data = "rotated"u8.ToArray();
        var signed = await s_host.Signer.SignAsync(new SignRequest(second.Id, data));
        Assert.AreEqual(VerificationStatus.Valid, (await s_host.Verifier.VerifyAsync(new VerificationRequest(second.Id, data, signed.Signature))).Status);
    }
}
