using System.Security.Cryptography;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Sqlite.Tests.Engine;

[TestClass]
public sealed class SignAndVerifyTests
{
    private static readonly byte[] Document = "The quick brown fox jumps over the lazy dog"u8.ToArray();
    private static KeyInfraTestHost s_host = null!;

    private static IKeyStore Keys => s_host.Get<IKeyStore>();

    private static ISigner Signer => s_host.Get<ISigner>();

    private static IVerifier Verifier => s_host.Get<IVerifier>();

    private static IVerificationLog Log => s_host.Get<IVerificationLog>();

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_host = await KeyInfraTestHost.StartAsync();

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        await s_host.DisposeAsync();
        KeyInfraTestHost.DeleteFolder(s_host.Folder);
    }

    public static IEnumerable<object[]> Specs => KeySpec.All.Select(s => new object[] { s.Name });

    [TestMethod]
    public async Task Verify_CallerWithNul_RefusedBeforeAnythingIsRecorded()
    {
        var id = KeyId.New();

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Verifier.VerifyAsync(new VerificationRequest(id, Document, new byte[64]) { Caller = "bad\0caller" }));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Verifier.VerifyBatchAsync([new VerificationRequest(id, Document, new byte[64])], caller: "\0"));
        await Log.FlushAsync();

        Assert.IsEmpty((await Log.QueryAsync(new VerificationLogQuery { KeyId = id })).Items);
    }

    [TestMethod]
    public async Task Verify_ExpectedAlgorithmDiffers_AlgorithmMismatch()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "alg"));
        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document));

        var result = await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature) { ExpectedAlgorithm = KeyAlgorithm.Rsa });

        Assert.AreEqual(VerificationStatus.AlgorithmMismatch, result.Status);
    }

    [TestMethod]
    public async Task Verify_HashRequestForEd25519_AlgorithmMismatch()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "ed"));
        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document));

        var result = await Verifier.VerifyAsync(VerificationRequest.ForHash(key.Id, SHA256.HashData(Document), signature.Signature));

        Assert.AreEqual(VerificationStatus.AlgorithmMismatch, result.Status);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(63)]
    [DataRow(65)]
    [DataRow(20000)]
    public async Task Verify_WrongLengthP1363Signature_MalformedSignature(int length)
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "malformed"));

        var result = await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, new byte[length]));

        Assert.AreEqual(VerificationStatus.MalformedSignature, result.Status);
    }

    [TestMethod]
    public async Task SignHashThenVerifyHash_Ecdsa_ValidAndLogKeepsTheCallersSha256()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "hash"));
        var hash = SHA256.HashData(Document);

        var signature = await Signer.SignAsync(SignRequest.ForHash(key.Id, hash));
        var result = await Verifier.VerifyAsync(VerificationRequest.ForHash(key.Id, hash, signature.Signature));
        var dataResult = await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));

        Assert.AreEqual(VerificationStatus.Valid, result.Status);
        Assert.AreEqual(VerificationStatus.Valid, dataResult.Status);
        var record = (await Log.QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items[^1];
        CollectionAssert.AreEqual(hash, record.DocumentSha256);
    }

    [TestMethod]
    [DataRow(SignatureEncoding.Der)]
    [DataRow(SignatureEncoding.P1363)]
    public async Task Sign_RequestedEncoding_VerifiesOnlyInThatEncoding(SignatureEncoding encoding)
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaSecp256k1, "encoding"));
        var options = new SignatureOptions { Encoding = encoding };
        var other = new SignatureOptions { Encoding = encoding == SignatureEncoding.Der ? SignatureEncoding.P1363 : SignatureEncoding.Der };

        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document) { Options = options });

        Assert.AreEqual(encoding, signature.Encoding);
        Assert.AreEqual(VerificationStatus.Valid, (await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature) { Options = options })).Status);
        Assert.AreNotEqual(VerificationStatus.Valid, (await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature) { Options = other })).Status);
    }

    [TestMethod]
    [DataRow(RsaPadding.Pss)]
    [DataRow(RsaPadding.Pkcs1)]
    public async Task Sign_RsaPadding_VerifiesOnlyWithThatPadding(RsaPadding padding)
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Rsa2048, "padding"));
        var options = new SignatureOptions { RsaPadding = padding, HashAlgorithm = HashAlgorithmName.SHA384 };
        var other = options with { RsaPadding = padding == RsaPadding.Pss ? RsaPadding.Pkcs1 : RsaPadding.Pss };

        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document) { Options = options });

        Assert.AreEqual(padding, signature.RsaPadding);
        Assert.AreEqual("SHA384", signature.HashAlgorithm);
        Assert.AreEqual(VerificationStatus.Valid, (await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature) { Options = options })).Status);
        Assert.AreEqual(VerificationStatus.InvalidSignature, (await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature) { Options = other })).Status);
    }

    [TestMethod]
    public async Task Sign_UnknownKey_ThrowsUnknownKeyException()
    {
        var ex = await Assert.ThrowsExactlyAsync<UnknownKeyException>(() => Signer.SignAsync(new SignRequest(KeyId.New(), Document)));

        Assert.AreEqual(ErrorCodes.KeyNotFound, ex.ErrorCode);
    }

    [TestMethod]
    public async Task Sign_ImportedPublicKey_ThrowsNoPrivateKey()
    {
        var source = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "source"));
        var imported = await Keys.ImportAsync(new ImportKeyRequest("public only", await Keys.ExportPublicKeyAsync(source.Id, KeyFormat.Der), KeyFormat.Der));

        var ex = await Assert.ThrowsExactlyAsync<KeyStateException>(() => Signer.SignAsync(new SignRequest(imported.Id, Document)));

        Assert.AreEqual(ErrorCodes.NoPrivateKey, ex.ErrorCode);
    }

    [TestMethod]
    public async Task Sign_HashForEd25519_ThrowsArgumentException()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "ed hash"));

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Signer.SignAsync(SignRequest.ForHash(key.Id, SHA256.HashData(Document))));
    }

    [TestMethod]
    public async Task VerifyAsync_DocumentOverLimit_ThrowsArgumentException()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "big"));
        var big = new byte[s_host.Get<Microsoft.Extensions.Options.IOptions<KeyInfraOptions>>().Value.MaxDocumentSize + 1];

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Verifier.VerifyAsync(new VerificationRequest(key.Id, big, new byte[64])));
    }
}
