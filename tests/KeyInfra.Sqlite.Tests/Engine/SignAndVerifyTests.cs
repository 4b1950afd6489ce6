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
    [DynamicData(nameof(Specs))]
    public async Task SignThenVerify_EverySpec_ValidAndRecorded(string specName)
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Parse(specName), specName));

        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document));
        var result = await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature) { Caller = "tests" });

        Assert.AreEqual(VerificationStatus.Valid, result.Status);
        Assert.IsTrue(result.IsValid);
        Assert.IsNotNull(result.RecordId);
        var records = await Log.QueryAsync(new VerificationLogQuery { KeyId = key.Id });
        Assert.AreEqual(1, records.Items.Count);
        var record = records.Items[0];
        Assert.AreEqual(result.RecordId, record.Id);
        Assert.AreEqual(VerificationStatus.Valid, record.Status);
        Assert.AreEqual(specName, record.Algorithm);
        Assert.AreEqual("tests", record.Caller);
        CollectionAssert.AreEqual(SHA256.HashData(Document), record.DocumentSha256);
        CollectionAssert.AreEqual(SHA256.HashData(signature.Signature), record.SignatureSha256);
    }

    [TestMethod]
    [DynamicData(nameof(Specs))]
    public async Task Verify_TamperedDocument_InvalidSignatureRecorded(string specName)
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Parse(specName), specName));
        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document));
        var tampered = (byte[])Document.Clone();
        tampered[0] ^= 1;

        var result = await Verifier.VerifyAsync(new VerificationRequest(key.Id, tampered, signature.Signature));

        Assert.AreEqual(VerificationStatus.InvalidSignature, result.Status);
        var record = (await Log.QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items.Single();
        Assert.AreEqual(VerificationStatus.InvalidSignature, record.Status);
    }

    [TestMethod]
    public async Task Verify_UnknownKey_KeyNotFoundRecorded()
    {
        var id = KeyId.New();

        var result = await Verifier.VerifyAsync(new VerificationRequest(id, Document, new byte[64]));

        Assert.AreEqual(VerificationStatus.KeyNotFound, result.Status);
        var record = (await Log.QueryAsync(new VerificationLogQuery { KeyId = id })).Items.Single();
        Assert.AreEqual(VerificationStatus.KeyNotFound, record.Status);
        Assert.IsFalse(record.KeyExists);
        Assert.IsNull(record.Algorithm);
    }

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
    public async Task Verify_AfterRevoke_KeyRevokedAtOnceEvenWhenCached()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "revoke"));
        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document));
        Assert.AreEqual(VerificationStatus.Valid, (await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature))).Status);

        await Keys.RevokeAsync(key.Id, RevocationReason.KeyCompromise);
        var result = await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));

        Assert.AreEqual(VerificationStatus.KeyRevoked, result.Status);
    }

    [TestMethod]
    public async Task Verify_AfterExpire_KeyExpired()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "expire"));
        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document));
        await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));

        await Keys.ExpireAsync(key.Id);

        Assert.AreEqual(VerificationStatus.KeyExpired, (await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature))).Status);
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
    public async Task Sign_RevokedKeyAfterCachedUse_ThrowsKeyRevoked()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "signing revoked"));
        await Signer.SignAsync(new SignRequest(key.Id, Document));

        await Keys.RevokeAsync(key.Id, RevocationReason.KeyCompromise);

        var ex = await Assert.ThrowsExactlyAsync<KeyStateException>(() => Signer.SignAsync(new SignRequest(key.Id, Document)));
        Assert.AreEqual(ErrorCodes.KeyRevoked, ex.ErrorCode);
    }

    [TestMethod]
    public async Task Sign_HashForEd25519_ThrowsArgumentException()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "ed hash"));

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Signer.SignAsync(SignRequest.ForHash(key.Id, SHA256.HashData(Document))));
    }

    [TestMethod]
    public async Task Sign_RotatedRing_OldVersionStillVerifiesUntilRevoked()
    {
        var ring = $"ring-{Guid.NewGuid():N}";
        var v1 = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP384, "ring") { RingName = ring });
        var oldSignature = await Signer.SignAsync(new SignRequest(v1.Id, Document));

        var v2 = await Keys.RotateAsync(ring);
        var newSignature = await Signer.SignAsync(new SignRequest(v2.Id, Document));

        Assert.AreEqual(VerificationStatus.Valid, (await Verifier.VerifyAsync(new VerificationRequest(v1.Id, Document, oldSignature.Signature))).Status);
        Assert.AreEqual(VerificationStatus.Valid, (await Verifier.VerifyAsync(new VerificationRequest(v2.Id, Document, newSignature.Signature))).Status);
        await Keys.RevokeAsync(v1.Id, RevocationReason.Superseded);
        Assert.AreEqual(VerificationStatus.KeyRevoked, (await Verifier.VerifyAsync(new VerificationRequest(v1.Id, Document, oldSignature.Signature))).Status);
    }

    [TestMethod]
    public async Task VerifyAsync_DocumentOverLimit_ThrowsArgumentException()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "big"));
        var big = new byte[s_host.Get<Microsoft.Extensions.Options.IOptions<KeyInfraOptions>>().Value.MaxDocumentSize + 1];

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Verifier.VerifyAsync(new VerificationRequest(key.Id, big, new byte[64])));
    }

    [TestMethod]
    public async Task VerifyBatchAsync_MixedRequests_ResultsInOrderAndOneBatchRecord()
    {
        var ec = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "batch ec"));
        var ed = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "batch ed"));
        var ecSignature = (await Signer.SignAsync(new SignRequest(ec.Id, Document))).Signature;
        var edSignature = (await Signer.SignAsync(new SignRequest(ed.Id, Document))).Signature;
        var requests = new List<VerificationRequest>();
        var expected = new List<VerificationStatus>();
        for (var i = 0; i < 50; i++)
        {
            switch (i % 4)
            {
                case 0: requests.Add(new VerificationRequest(ec.Id, Document, ecSignature)); expected.Add(VerificationStatus.Valid); break;
                case 1: requests.Add(new VerificationRequest(ed.Id, Document, edSignature)); expected.Add(VerificationStatus.Valid); break;
                case 2: requests.Add(new VerificationRequest(ed.Id, "other"u8.ToArray(), edSignature)); expected.Add(VerificationStatus.InvalidSignature); break;
                default: requests.Add(new VerificationRequest(KeyId.New(), Document, edSignature)); expected.Add(VerificationStatus.KeyNotFound); break;
            }
        }

        var reported = new List<int>();
        var result = await Verifier.VerifyBatchAsync(requests, "batch-tests", new SynchronousProgress(reported));

        CollectionAssert.AreEqual(expected, result.Results.Select(r => r.Status).ToList());
        Assert.IsNotNull(result.BatchId);
        Assert.AreEqual(50, reported.Max());
        var batch = await Log.GetBatchAsync(result.BatchId.Value);
        Assert.IsNotNull(batch);
        Assert.AreEqual("batch-tests", batch.Caller);
        CollectionAssert.AreEqual(expected, batch.Items.Select(r => r.Status).ToList());
        CollectionAssert.AreEqual(result.Results.Select(r => r.RecordId).ToList(), batch.Items.Select(r => (Guid?)r.Id).ToList());
    }

    [TestMethod]
    public async Task VerifyAsync_1000Concurrent_Exactly1000Records()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "concurrent"));
        var signature = (await Signer.SignAsync(new SignRequest(key.Id, Document))).Signature;

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ =>
            Task.Run(() => Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature)))));

        Assert.IsTrue(results.All(r => r.IsValid));
        Assert.AreEqual(1000, results.Select(r => r.RecordId).Distinct().Count());
        var count = 0;
        Guid? cursor = null;
        do
        {
            var page = await Log.QueryAsync(new VerificationLogQuery { KeyId = key.Id, PageSize = 1000, Before = cursor });
            count += page.Items.Count;
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.AreEqual(1000, count);
    }

    private sealed class SynchronousProgress(List<int> reported) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (reported)
            {
                reported.Add(value);
            }
        }
    }
}
