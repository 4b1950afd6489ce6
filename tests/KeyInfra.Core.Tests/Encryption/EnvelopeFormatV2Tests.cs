using System.Security.Cryptography;
using System.Text;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;

namespace KeyInfra.Core.Tests.Encryption;

/// <summary>
/// Envelope format v2 (docs/security/envelope.md): known answers computed by an independent implementation of the
/// documented layout (Node.js crypto, OpenSSL underneath), the binding of a private key's spec and public key, the
/// v1 ciphertexts still read, and strict rejection of damaged v2 ciphertexts.
/// </summary>
[TestClass]
public sealed class EnvelopeFormatV2Tests
{
    private static readonly Guid Tenant = Guid.Parse("0193a6f2-7c1e-7d3a-9b2f-5e4c3d2b1a09");
    private static readonly KeyId Key = new(Guid.Parse("0193a6f2-8000-7000-8000-000000000001"));
    private static readonly byte[] Spki = Encoding.ASCII.GetBytes("a stand-in for a DER SubjectPublicKeyInfo");
    private static readonly byte[] KnownPlaintext = Encoding.ASCII.GetBytes("KeyInfra envelope known answer");

    // Master key 00 01 … 1f with id "kat-1"; data key 32 × d0; wrap nonce 12 × 11; data nonce 12 × 22; private-key
    // context of Tenant/Key bound to ecdsa-p256 and SHA-256(Spki). Computed outside .NET from the documented layout.
    private static readonly byte[] KnownV2 = Convert.FromHexString(
        "02056b61742d31111111111111111111111111c913139f60170308d7ea86649ea7d6fba41bee5298bae7b94939572df9c0118b39434d63c925704077c0800148439dd8" +
        "222222222222222222222222ff553f666f7b034590561d22a0642cfbc6b149c97e333c70a364316f99434b68d9eca5c601c7e8352a29f2af85ec");

    // The same inputs in format v1: the data key wrapped under the master key itself, no binding.
    private static readonly byte[] KnownV1 = Convert.FromHexString(
        "01056b61742d3111111111111111111111111150b0446f68d0ff7eb8aff5d291f5c06a33cf5075c5e140b9fd0b4bd6f8b31382bd4c7b1c62f134698e9c7d4372d9d414" +
        "222222222222222222222222c341228af98cbecdf1bf05df5184177ac6b149c97e333c70a364316f99434b68d9eca5c601c7e8352a29f2af85ec");

    private static byte[] KnownMasterKey => [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private static EncryptionContext Bound(KeySpec spec, byte[] spki) => EncryptionContexts.ForPrivateKey(Tenant, Key, spec, spki);

    [TestMethod]
    public void ForPrivateKey_Binding_IsSpecNameThenSpkiHash()
    {
        var context = Bound(KeySpec.EcdsaP256, Spki);

        var expected = new byte[] { 10 }.Concat(Encoding.ASCII.GetBytes("ecdsa-p256")).Concat(SHA256.HashData(Spki)).ToArray();
        CollectionAssert.AreEqual(expected, context.Binding.ToArray());
        Assert.AreEqual("private_keys", context.Table);
        Assert.AreEqual("key_material", context.Column);
        Assert.AreEqual(Key.Value, context.RowId);
    }

    [TestMethod]
    public async Task DecryptAsync_KnownAnswerV2FromAnIndependentImplementation_ReturnsThePlaintext()
    {
        using var provider = TestMasterKeys.Provider(KnownMasterKey, id: "kat-1");

        var plaintext = await TestMasterKeys.Encryptor(provider).DecryptAsync(KnownV2, Bound(KeySpec.EcdsaP256, Spki));

        CollectionAssert.AreEqual(KnownPlaintext, plaintext);
    }

    [TestMethod]
    public async Task DecryptAsync_KnownAnswerV1_StillDecryptsWhateverTheBinding()
    {
        using var provider = TestMasterKeys.Provider(KnownMasterKey, id: "kat-1");
        var encryptor = TestMasterKeys.Encryptor(provider);

        // v1 binds no public key: the public key check after decryption is what covers those rows.
        CollectionAssert.AreEqual(KnownPlaintext, await encryptor.DecryptAsync(KnownV1, Bound(KeySpec.EcdsaP256, Spki)));
        CollectionAssert.AreEqual(KnownPlaintext, await encryptor.DecryptAsync(KnownV1, Bound(KeySpec.Ed25519, [1, 2, 3])));
    }

    [TestMethod]
    public async Task DecryptAsync_V2WithTheWrapUnderTheMasterKeyItself_ThrowsAuthenticationFailed()
    {
        // KnownV1's wrap is under the master key itself; relabelled v2, it must not open (v2 wraps under the subkey).
        using var provider = TestMasterKeys.Provider(KnownMasterKey, id: "kat-1");
        var relabelled = (byte[])KnownV1.Clone();
        relabelled[0] = 0x02;

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await TestMasterKeys.Encryptor(provider).DecryptAsync(relabelled, Bound(KeySpec.EcdsaP256, Spki)));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    public async Task DecryptAsync_V2RelabelledV1_ThrowsAuthenticationFailed()
    {
        using var provider = TestMasterKeys.Provider(KnownMasterKey, id: "kat-1");
        var downgraded = (byte[])KnownV2.Clone();
        downgraded[0] = 0x01;

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await TestMasterKeys.Encryptor(provider).DecryptAsync(downgraded, Bound(KeySpec.EcdsaP256, Spki)));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    public static IEnumerable<object[]> OtherBindings =>
    [
        ["another public key", KeySpec.EcdsaP256.Name, "another DER SubjectPublicKeyInfo"],
        ["another spec", KeySpec.EcdsaSecp256k1.Name, "a stand-in for a DER SubjectPublicKeyInfo"],
        ["another size", KeySpec.Rsa(3072).Name, "a stand-in for a DER SubjectPublicKeyInfo"],
    ];

    [TestMethod]
    [DynamicData(nameof(OtherBindings))]
    public async Task DecryptAsync_V2UnderAnotherBinding_ThrowsAuthenticationFailed(string what, string specName, string spki)
    {
        using var provider = TestMasterKeys.Provider(KnownMasterKey, id: "kat-1");

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(
            async () => await TestMasterKeys.Encryptor(provider).DecryptAsync(KnownV2, Bound(KeySpec.Parse(specName), Encoding.ASCII.GetBytes(spki))), what);

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    public async Task DecryptAsync_V2WithoutItsBinding_ThrowsAuthenticationFailed()
    {
        using var provider = TestMasterKeys.Provider(KnownMasterKey, id: "kat-1");
        var unbound = Bound(KeySpec.EcdsaP256, Spki) with { Binding = ReadOnlyMemory<byte>.Empty };

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await TestMasterKeys.Encryptor(provider).DecryptAsync(KnownV2, unbound));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    public async Task EncryptAsync_WithABinding_RoundTripsAsV2()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(provider);
        var context = Bound(KeySpec.Ed25519, Spki);

        var ciphertext = await encryptor.EncryptAsync(KnownPlaintext, context);

        Assert.AreEqual(0x02, ciphertext[0]);
        CollectionAssert.AreEqual(KnownPlaintext, await encryptor.DecryptAsync(ciphertext, context));
    }

    [TestMethod]
    public async Task EncryptAsync_BindingOver1024Bytes_ThrowsArgument()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var context = Bound(KeySpec.Ed25519, Spki) with { Binding = new byte[1025] };

        await Assert.ThrowsExactlyAsync<ArgumentException>(async () => await TestMasterKeys.Encryptor(provider).EncryptAsync(KnownPlaintext, context));
    }

    [TestMethod]
    public async Task DecryptAsync_V2TruncatedToAnyLengthBelowTheHeader_ThrowsMalformed()
    {
        using var provider = TestMasterKeys.Provider(KnownMasterKey, id: "kat-1");
        var encryptor = TestMasterKeys.Encryptor(provider);
        var headerLength = 90 + "kat-1".Length;

        for (var length = 0; length < headerLength; length++)
        {
            var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(KnownV2.AsMemory(0, length), Bound(KeySpec.EcdsaP256, Spki)), $"length {length}");
            Assert.AreEqual(ErrorCodes.CiphertextMalformed, e.ErrorCode, $"length {length}");
        }
    }

    [TestMethod]
    public async Task DecryptAsync_V2TruncatedInsideTheData_ThrowsAuthenticationFailed()
    {
        using var provider = TestMasterKeys.Provider(KnownMasterKey, id: "kat-1");
        var encryptor = TestMasterKeys.Encryptor(provider);

        for (var cut = 1; cut <= KnownPlaintext.Length; cut++)
        {
            var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(KnownV2.AsMemory(0, KnownV2.Length - cut), Bound(KeySpec.EcdsaP256, Spki)), $"cut {cut}");
            Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode, $"cut {cut}");
        }
    }

    [TestMethod]
    public async Task DecryptAsync_V2AnyByteFlipped_NeverReturnsData()
    {
        using var provider = TestMasterKeys.Provider(KnownMasterKey, id: "kat-1");
        var encryptor = TestMasterKeys.Encryptor(provider);

        for (var i = 0; i < KnownV2.Length; i++)
        {
            var garbled = (byte[])KnownV2.Clone();
            garbled[i] ^= 0x01;

            // Version and id bytes are rejected by the parser or as an unknown key; every other byte by a GCM tag.
            var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(garbled, Bound(KeySpec.EcdsaP256, Spki)), $"byte {i}");
            CollectionAssert.Contains(new[] { ErrorCodes.CiphertextMalformed, ErrorCodes.CiphertextAuthenticationFailed, ErrorCodes.MasterKeyUnavailable }, e.ErrorCode, $"byte {i}");
        }
    }

    [TestMethod]
    public async Task RewrapAsync_V2UnderANewKey_StaysV2AndBound()
    {
        var before = TestMasterKeys.NewKey();
        var after = TestMasterKeys.NewKey();
        using var old = TestMasterKeys.Provider(before, id: "old");
        using var rotated = TestMasterKeys.Provider(after, id: "new", previous: TestMasterKeys.Previous("old", before));
        var context = Bound(KeySpec.EcdsaP384, Spki);
        var original = await TestMasterKeys.Encryptor(old).EncryptAsync(KnownPlaintext, context);

        var rewrapped = await TestMasterKeys.Encryptor(rotated).RewrapAsync(original, context);

        Assert.AreEqual(0x02, rewrapped[0]);
        Assert.AreEqual("new", TestMasterKeys.Encryptor(rotated).GetMasterKeyId(rewrapped));
        using var newOnly = TestMasterKeys.Provider(after, id: "new");
        CollectionAssert.AreEqual(KnownPlaintext, await TestMasterKeys.Encryptor(newOnly).DecryptAsync(rewrapped, context));
    }

    [TestMethod]
    public async Task RewrapAsync_V2UnderAnotherBinding_ThrowsAuthenticationFailed()
    {
        var before = TestMasterKeys.NewKey();
        using var old = TestMasterKeys.Provider(before, id: "old");
        using var rotated = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "new", previous: TestMasterKeys.Previous("old", before));
        var original = await TestMasterKeys.Encryptor(old).EncryptAsync(KnownPlaintext, Bound(KeySpec.EcdsaP384, Spki));

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await TestMasterKeys.Encryptor(rotated).RewrapAsync(original, Bound(KeySpec.EcdsaP384, [9, 9, 9])));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    public async Task RewrapAsync_KnownV1UnderANewKey_StaysV1AndDecrypts()
    {
        using var rotated = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "new", previous: TestMasterKeys.Previous("kat-1", KnownMasterKey));
        var encryptor = TestMasterKeys.Encryptor(rotated);
        var context = Bound(KeySpec.EcdsaP256, Spki);

        var rewrapped = await encryptor.RewrapAsync(KnownV1, context);

        Assert.AreEqual(0x01, rewrapped[0]);
        Assert.AreEqual("new", encryptor.GetMasterKeyId(rewrapped));
        CollectionAssert.AreEqual(KnownV1[^(16 + 12 + KnownPlaintext.Length)..], rewrapped[^(16 + 12 + KnownPlaintext.Length)..]);
        CollectionAssert.AreEqual(KnownPlaintext, await encryptor.DecryptAsync(rewrapped, context));
    }
}
