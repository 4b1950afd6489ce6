using System.Security.Cryptography;
using System.Text;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.RowAuthentication;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// The whole engine on one storage provider, end to end through the public services (<see cref="IKeyStore"/>,
/// <see cref="ISigner"/>, <see cref="IVerifier"/>, <see cref="IVerificationLog"/>, <see cref="IPrivateKeyReencryptor"/>)
/// of a real host: create, import, sign, verify, rotate, revoke, expire, delete, batch and re-encrypt, with the log
/// read back. Run by each provider's test project against its real database.
/// </summary>
/// <remarks>
/// Every test starts a host of its own on <see cref="Storage"/>, all with the suite's one master key (a database
/// accepts only the master keys that wrapped its data); a test that needs another master key takes a database of its
/// own. Tests of a class run one after another and share the default tenant, so none counts what others left.
/// </remarks>
public abstract class EngineConformanceTests
{
    private static readonly byte[] Document = "The quick brown fox jumps over the lazy dog"u8.ToArray();

    // One master key for every host of the suite on the shared database.
    private static readonly string s_masterKey = TestHost.NewMasterKey();

    /// <summary>The provider's database, shared by the tests of the class.</summary>
    protected abstract ConformanceStorage Storage { get; }

    public static IEnumerable<object[]> Specs => KeySpec.All.Select(s => new object[] { s.Name });

    [TestMethod]
    [DynamicData(nameof(Specs), typeof(EngineConformanceTests))]
    public async Task CreateAsync_EverySpec_StoresActiveKeyWithPrivateKey(string specName)
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var spec = KeySpec.Parse(specName);

        var key = await keys.CreateAsync(new CreateKeyRequest(spec, $"create {specName}"));
        var found = await keys.GetAsync(key.Id);

        Assert.IsNotNull(found);
        Assert.AreEqual(spec, found.Spec);
        Assert.AreEqual(KeyStatus.Active, found.Status);
        Assert.IsTrue(found.HasPrivateKey);
        Assert.AreEqual(KeyFormat.Der, found.ImportedFormat);
        CollectionAssert.AreEqual(key.PublicKeySpki.ToArray(), found.PublicKeySpki.ToArray());
    }

    [TestMethod]
    public async Task CreateAsync_MetadataAndOwner_RoundTrip()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var metadata = new Dictionary<string, string> { ["purpose"] = "invoices", ["quote"] = "it's \"fine\"; DROP TABLE public_keys; --" };

        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "名前 with ünïcode") { Owner = "billing-service", Metadata = metadata });
        var found = await keys.GetAsync(key.Id);

        Assert.IsNotNull(found);
        Assert.AreEqual("名前 with ünïcode", found.Name);
        Assert.AreEqual("billing-service", found.Owner);
        CollectionAssert.AreEquivalent(metadata.ToList(), found.Metadata.ToList());
    }

    [TestMethod]
    public async Task CreateAsync_ConcurrentlyInOneRing_EveryVersionOnce()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var ring = $"concurrent-{Guid.NewGuid():N}";

        var created = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "c") { RingName = ring })));

        CollectionAssert.AreEquivalent(new[] { 1, 2, 3, 4, 5, 6 }, created.Select(k => k.RingVersion!.Value).ToArray());
    }

    [TestMethod]
    [DynamicData(nameof(Specs), typeof(EngineConformanceTests))]
    public async Task SignThenVerify_EverySpec_ValidAndRecorded(string specName)
    {
        await using var host = await StartHostAsync();
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Parse(specName), specName));

        var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
        var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature) { Caller = "tests" });

        Assert.AreEqual(VerificationStatus.Valid, result.Status);
        Assert.IsTrue(result.IsValid);
        Assert.IsNotNull(result.RecordId);
        var records = await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = key.Id });
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
    [DynamicData(nameof(Specs), typeof(EngineConformanceTests))]
    public async Task Verify_TamperedDocument_InvalidSignatureRecorded(string specName)
    {
        await using var host = await StartHostAsync();
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Parse(specName), specName));
        var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
        var tampered = (byte[])Document.Clone();
        tampered[0] ^= 1;

        var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, tampered, signature.Signature));

        Assert.AreEqual(VerificationStatus.InvalidSignature, result.Status);
        var record = (await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items.Single();
        Assert.AreEqual(VerificationStatus.InvalidSignature, record.Status);
        CollectionAssert.AreEqual(SHA256.HashData(tampered), record.DocumentSha256);
    }

    [TestMethod]
    public async Task Verify_UnknownKey_KeyNotFoundRecorded()
    {
        await using var host = await StartHostAsync();
        var id = KeyId.New();

        var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, new byte[64]));

        Assert.AreEqual(VerificationStatus.KeyNotFound, result.Status);
        var record = (await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = id })).Items.Single();
        Assert.AreEqual(VerificationStatus.KeyNotFound, record.Status);
        Assert.IsFalse(record.KeyExists);
        Assert.IsNull(record.Algorithm);
    }

    [TestMethod]
    [DataRow(KeyFormat.Pem)]
    [DataRow(KeyFormat.Der)]
    [DataRow(KeyFormat.Raw)]
    public async Task ImportAsync_ExportedFormats_ImportAsVerificationOnlyKey(KeyFormat format)
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var source = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP384, "source"));
        var data = await keys.ExportPublicKeyAsync(source.Id, format);

        var imported = await keys.ImportAsync(new ImportKeyRequest("imported", data, format) { ExpectedSpec = KeySpec.EcdsaP384 });

        Assert.AreEqual(KeySpec.EcdsaP384, imported.Spec);
        Assert.IsFalse(imported.HasPrivateKey);
        Assert.AreEqual(format, imported.ImportedFormat);
        CollectionAssert.AreEqual(source.PublicKeySpki.ToArray(), imported.PublicKeySpki.ToArray());
    }

    [TestMethod]
    [DataRow(KeyFormat.Pem)]
    [DataRow(KeyFormat.Der)]
    [DataRow(KeyFormat.Raw)]
    public async Task ImportAsync_EcdsaKeyMadeOutsideKeyInfra_VerifiesItsSignaturesAndRecordsThem(KeyFormat format)
    {
        await using var host = await StartHostAsync();
        using var outside = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var data = format switch
        {
            KeyFormat.Pem => Encoding.ASCII.GetBytes(outside.ExportSubjectPublicKeyInfoPem()),
            KeyFormat.Der => outside.ExportSubjectPublicKeyInfo(),
            _ => UncompressedPoint(outside.ExportParameters(includePrivateParameters: false).Q),
        };
        var signature = outside.SignData(Document, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var imported = await host.Get<IKeyStore>().ImportAsync(new ImportKeyRequest("made outside", data, format) { ExpectedSpec = KeySpec.EcdsaP256 });
        var verifier = host.Get<IVerifier>();

        var valid = await verifier.VerifyAsync(new VerificationRequest(imported.Id, Document, signature));
        var forged = await verifier.VerifyAsync(new VerificationRequest(imported.Id, "another document"u8.ToArray(), signature));

        Assert.AreEqual(VerificationStatus.Valid, valid.Status);
        Assert.AreEqual(VerificationStatus.InvalidSignature, forged.Status);
        CollectionAssert.AreEqual(outside.ExportSubjectPublicKeyInfo(), imported.PublicKeySpki.ToArray());
        var records = (await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = imported.Id })).Items;
        CollectionAssert.AreEquivalent(new[] { valid.RecordId, forged.RecordId }, records.Select(r => (Guid?)r.Id).ToArray());
        Assert.AreEqual(VerificationStatus.Valid, records.Single(r => r.Id == valid.RecordId).Status);
        Assert.AreEqual(VerificationStatus.InvalidSignature, records.Single(r => r.Id == forged.RecordId).Status);
    }

    [TestMethod]
    public async Task ImportAsync_RsaPemMadeOutsideKeyInfra_VerifiesItsPssSignature()
    {
        await using var host = await StartHostAsync();
        using var outside = RSA.Create(2048);
        var signature = outside.SignData(Document, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var imported = await host.Get<IKeyStore>().ImportAsync(ImportKeyRequest.FromPem("rsa made outside", outside.ExportSubjectPublicKeyInfoPem()));
        var verifier = host.Get<IVerifier>();

        var valid = await verifier.VerifyAsync(new VerificationRequest(imported.Id, Document, signature));
        var forged = await verifier.VerifyAsync(new VerificationRequest(imported.Id, "another document"u8.ToArray(), signature));

        Assert.AreEqual(KeySpec.Rsa2048, imported.Spec);
        Assert.IsFalse(imported.HasPrivateKey);
        Assert.AreEqual(VerificationStatus.Valid, valid.Status);
        Assert.AreEqual(VerificationStatus.InvalidSignature, forged.Status);
    }

    [TestMethod]
    public async Task RotateAsync_Ring_AddsNextVersionOfSameSpecAndKeepsOlderActive()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var ring = $"rotate-{Guid.NewGuid():N}";
        var v1 = await keys.CreateAsync(new CreateKeyRequest(KeySpec.Rsa2048, "signing") { RingName = ring });

        var v2 = await keys.RotateAsync(ring);

        Assert.AreEqual(1, v1.RingVersion);
        Assert.AreEqual(2, v2.RingVersion);
        Assert.AreEqual(KeySpec.Rsa2048, v2.Spec);
        Assert.AreEqual(ring, v2.RingName);
        Assert.AreNotEqual(v1.Id, v2.Id);
        Assert.AreEqual(KeyStatus.Active, (await keys.GetAsync(v1.Id))!.Status);
    }

    [TestMethod]
    public async Task RotateAsync_Twice_Versions1To3AndEveryVersionStillVerifies()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var ring = $"three-{Guid.NewGuid():N}";
        var versions = new List<KeyInfo> { await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "ring of three") { RingName = ring }) };
        var signatures = new List<byte[]> { (await host.Get<ISigner>().SignAsync(new SignRequest(versions[0].Id, Document))).Signature };

        for (var i = 0; i < 2; i++)
        {
            var next = await keys.RotateAsync(ring);
            versions.Add(next);
            signatures.Add((await host.Get<ISigner>().SignAsync(new SignRequest(next.Id, Document))).Signature);
        }

        CollectionAssert.AreEqual(new int?[] { 1, 2, 3 }, versions.Select(v => v.RingVersion).ToArray());
        Assert.AreEqual(3, versions.Select(v => v.Id).Distinct().Count());
        for (var i = 0; i < versions.Count; i++)
        {
            var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(versions[i].Id, Document, signatures[i]));
            Assert.AreEqual(VerificationStatus.Valid, result.Status, $"version {i + 1}");
        }

        var listed = await keys.ListAsync(new KeyQuery { RingName = ring });
        CollectionAssert.AreEquivalent(versions.Select(v => v.Id).ToArray(), listed.Items.Select(k => k.Id).ToArray());
        Assert.IsTrue(listed.Items.All(k => k.Status == KeyStatus.Active));
    }

    [TestMethod]
    public async Task RotateAsync_KeepsRingLifetime()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var ring = $"lifetime-{Guid.NewGuid():N}";
        await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "lifetime") { RingName = ring, ExpiresAt = DateTimeOffset.UtcNow.AddDays(90) });

        var v2 = await keys.RotateAsync(ring);

        Assert.IsNotNull(v2.ExpiresAt);
        var lifetime = v2.ExpiresAt.Value - v2.CreatedAt;
        Assert.IsLessThan(TimeSpan.FromMinutes(1), (lifetime - TimeSpan.FromDays(90)).Duration());
    }

    [TestMethod]
    public async Task Sign_RotatedRing_OldVersionStillVerifiesUntilRevoked()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var signer = host.Get<ISigner>();
        var verifier = host.Get<IVerifier>();
        var ring = $"ring-{Guid.NewGuid():N}";
        var v1 = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP384, "ring") { RingName = ring });
        var oldSignature = await signer.SignAsync(new SignRequest(v1.Id, Document));

        var v2 = await keys.RotateAsync(ring);
        var newSignature = await signer.SignAsync(new SignRequest(v2.Id, Document));

        Assert.AreEqual(VerificationStatus.Valid, (await verifier.VerifyAsync(new VerificationRequest(v1.Id, Document, oldSignature.Signature))).Status);
        Assert.AreEqual(VerificationStatus.Valid, (await verifier.VerifyAsync(new VerificationRequest(v2.Id, Document, newSignature.Signature))).Status);
        await keys.RevokeAsync(v1.Id, RevocationReason.Superseded);
        Assert.AreEqual(VerificationStatus.KeyRevoked, (await verifier.VerifyAsync(new VerificationRequest(v1.Id, Document, oldSignature.Signature))).Status);
    }

    [TestMethod]
    public async Task Verify_AfterRevoke_KeyRevokedAtOnceEvenWhenCached()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var verifier = host.Get<IVerifier>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "revoke"));
        var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
        Assert.AreEqual(VerificationStatus.Valid, (await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature))).Status);

        await keys.RevokeAsync(key.Id, RevocationReason.KeyCompromise);
        var result = await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));

        Assert.AreEqual(VerificationStatus.KeyRevoked, result.Status);
        var record = (await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items[0];
        Assert.AreEqual(result.RecordId, record.Id);
        Assert.AreEqual(VerificationStatus.KeyRevoked, record.Status);
    }

    [TestMethod]
    public async Task Sign_RevokedKeyAfterCachedUse_ThrowsKeyRevoked()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var signer = host.Get<ISigner>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "signing revoked"));
        await signer.SignAsync(new SignRequest(key.Id, Document));

        await keys.RevokeAsync(key.Id, RevocationReason.KeyCompromise);

        var ex = await Assert.ThrowsExactlyAsync<KeyStateException>(() => signer.SignAsync(new SignRequest(key.Id, Document)));
        Assert.AreEqual(ErrorCodes.KeyRevoked, ex.ErrorCode);
    }

    [TestMethod]
    public async Task RevokeAsync_Twice_KeepsFirstReasonAndTime()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "revoke"));

        var first = await keys.RevokeAsync(key.Id, RevocationReason.KeyCompromise);
        var second = await keys.RevokeAsync(key.Id, RevocationReason.Superseded);

        Assert.AreEqual(KeyStatus.Revoked, second.Status);
        Assert.AreEqual(RevocationReason.KeyCompromise, second.RevocationReason);
        Assert.AreEqual(first.RevokedAt, second.RevokedAt);
    }

    [TestMethod]
    public async Task KeyStoreWrites_ReadBack_SameTimesStatusAndVersionAsReturned()
    {
        // What a write returns is what every later read gives back, on a store that keeps microseconds as on one
        // that keeps ticks: the times below carry ticks no store may be assumed to keep.
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var soon = DateTimeOffset.UtcNow.AddDays(30);
        var expiresAt = soon.AddTicks(7 - (soon.UtcTicks % TimeSpan.TicksPerMicrosecond)).ToOffset(TimeSpan.FromHours(2));
        var ring = $"read-back-{Guid.NewGuid():N}";
        using var outside = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var written = new List<KeyInfo>
        {
            await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "created") { RingName = ring, ExpiresAt = expiresAt }),
            await keys.ImportAsync(new ImportKeyRequest("imported", outside.ExportSubjectPublicKeyInfo(), KeyFormat.Der) { ExpiresAt = expiresAt }),
            await keys.RotateAsync(ring),
        };
        written.Add(await keys.RevokeAsync(written[0].Id, RevocationReason.Superseded));
        written.Add(await keys.ExpireAsync(written[1].Id));

        foreach (var key in written.Skip(2))
        {
            var read = await keys.GetAsync(key.Id);
            Assert.IsNotNull(read);
            Assert.AreEqual(key.Status, read.Status, key.Name);
            Assert.AreEqual(key.CreatedAt, read.CreatedAt, key.Name);
            Assert.AreEqual(key.ExpiresAt, read.ExpiresAt, key.Name);
            Assert.AreEqual(key.RevokedAt, read.RevokedAt, key.Name);
            Assert.AreEqual(key.Version, read.Version, key.Name);
        }

        Assert.AreEqual(written[0].CreatedAt, written[3].CreatedAt);
        Assert.AreEqual(written[0].ExpiresAt, written[3].ExpiresAt);
        Assert.AreEqual(written[1].CreatedAt, written[4].CreatedAt);
    }

    [TestMethod]
    public async Task Verify_AfterExpire_KeyExpired()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var verifier = host.Get<IVerifier>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "expire"));
        var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
        await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));

        await keys.ExpireAsync(key.Id);

        Assert.AreEqual(VerificationStatus.KeyExpired, (await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature))).Status);
    }

    [TestMethod]
    public async Task Sign_ExpiredKeyAfterCachedUse_ThrowsKeyExpired()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var signer = host.Get<ISigner>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "signing expired"));
        await signer.SignAsync(new SignRequest(key.Id, Document));

        await keys.ExpireAsync(key.Id);

        var ex = await Assert.ThrowsExactlyAsync<KeyStateException>(() => signer.SignAsync(new SignRequest(key.Id, Document)));
        Assert.AreEqual(ErrorCodes.KeyExpired, ex.ErrorCode);
    }

    [TestMethod]
    public async Task ExpireAsync_ActiveKey_IsExpiredNow()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "expire"));

        var expired = await keys.ExpireAsync(key.Id);

        Assert.AreEqual(KeyStatus.Expired, expired.Status);
        Assert.IsNotNull(expired.ExpiresAt);
        Assert.IsLessThanOrEqualTo(DateTimeOffset.UtcNow, expired.ExpiresAt.Value);
        Assert.AreEqual(KeyStatus.Expired, (await keys.GetAsync(key.Id))!.Status);
    }

    [TestMethod]
    public async Task ExpireAsync_RevokedKey_StaysRevoked()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "revoked then expired"));
        await keys.RevokeAsync(key.Id, RevocationReason.CessationOfOperation);

        var result = await keys.ExpireAsync(key.Id);

        Assert.AreEqual(KeyStatus.Revoked, result.Status);
    }

    [TestMethod]
    public async Task DeleteAsync_UnusedKey_DeletesIt()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "delete me"));

        Assert.IsTrue(await keys.DeleteAsync(key.Id));

        Assert.IsNull(await keys.GetAsync(key.Id));
        Assert.IsFalse(await keys.DeleteAsync(key.Id));
        Assert.AreEqual(0L, await Storage.ScalarAsync<long>("SELECT COUNT(*) FROM public_keys WHERE id = $1", key.Id));
        Assert.AreEqual(0L, await Storage.ScalarAsync<long>("SELECT COUNT(*) FROM private_keys WHERE key_id = $1", key.Id));
    }

    [TestMethod]
    public async Task DeleteAsync_UnknownKey_ReturnsFalse()
    {
        await using var host = await StartHostAsync();

        Assert.IsFalse(await host.Get<IKeyStore>().DeleteAsync(KeyId.New()));
    }

    [TestMethod]
    public async Task DeleteAsync_KeyWithVerificationRecords_ThrowsKeyInUseAndKeepsKey()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "used"));
        await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, "doc"u8.ToArray(), new byte[64]));

        var ex = await Assert.ThrowsExactlyAsync<KeyInUseException>(() => keys.DeleteAsync(key.Id));

        Assert.AreEqual(ErrorCodes.KeyInUse, ex.ErrorCode);
        Assert.IsNotNull(await keys.GetAsync(key.Id));
        Assert.AreEqual(1L, await Storage.ScalarAsync<long>("SELECT COUNT(*) FROM private_keys WHERE key_id = $1", key.Id));
    }

    [TestMethod]
    public async Task VerifyBatchAsync_MixedRequests_ResultsInOrderAndOneBatchRecord()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var signer = host.Get<ISigner>();
        var ec = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "batch ec"));
        var ed = await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "batch ed"));
        var ecSignature = (await signer.SignAsync(new SignRequest(ec.Id, Document))).Signature;
        var edSignature = (await signer.SignAsync(new SignRequest(ed.Id, Document))).Signature;
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
        var result = await host.Get<IVerifier>().VerifyBatchAsync(requests, "batch-tests", new SynchronousProgress(reported));

        CollectionAssert.AreEqual(expected, result.Results.Select(r => r.Status).ToList());
        Assert.IsNotNull(result.BatchId);
        Assert.AreEqual(50, reported.Max());
        var batch = await host.Get<IVerificationLog>().GetBatchAsync(result.BatchId.Value);
        Assert.IsNotNull(batch);
        Assert.AreEqual("batch-tests", batch.Caller);
        CollectionAssert.AreEqual(expected, batch.Items.Select(r => r.Status).ToList());
        CollectionAssert.AreEqual(result.Results.Select(r => r.RecordId).ToList(), batch.Items.Select(r => (Guid?)r.Id).ToList());
    }

    [TestMethod]
    public async Task VerifyAsync_1000Concurrent_Exactly1000Records()
    {
        await using var host = await StartHostAsync();
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "concurrent"));
        var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
        var verifier = host.Get<IVerifier>();

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ =>
            Task.Run(() => verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature)))));

        Assert.IsTrue(results.All(r => r.IsValid));
        Assert.AreEqual(1000, results.Select(r => r.RecordId).Distinct().Count());
        var count = 0;
        Guid? cursor = null;
        do
        {
            var page = await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = key.Id, PageSize = 1000, Before = cursor });
            count += page.Items.Count;
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.AreEqual(1000, count);
    }

    [TestMethod]
    public async Task VerifyAsync_Durable_EveryReturnedResultIsInTheDatabaseAtOnce()
    {
        // Durable: a verification returns only when its record is committed. Each result is looked up in the
        // database the moment its call returns, by another connection, with no flush in between; a batch, with its items.
        await using var host = await StartHostAsync(o => o.VerificationLog.Mode = LogMode.Durable);
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "durable"));
        var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
        var verifier = host.Get<IVerifier>();

        var found = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            var result = await verifier.VerifyAsync(new VerificationRequest(key.Id, i % 2 == 0 ? Document : "other"u8.ToArray(), signature));
            return await Storage.ScalarAsync<long>("SELECT COUNT(*) FROM verification_records WHERE id = $1", result.RecordId!.Value);
        })));
        var batch = await verifier.VerifyBatchAsync([new VerificationRequest(key.Id, Document, signature), new VerificationRequest(KeyId.New(), Document, signature)]);
        var batchItems = await Task.WhenAll(batch.Results.Select(r =>
            Storage.ScalarAsync<long>("SELECT COUNT(*) FROM batch_verification_items WHERE id = $1 AND batch_id = $2", r.RecordId!.Value, batch.BatchId!.Value)));

        Assert.IsTrue(found.All(count => count == 1), $"{found.Count(count => count != 1)} of 100 returned verifications had no record");
        CollectionAssert.AreEqual(new[] { 1L, 1L }, batchItems);
        Assert.AreEqual(1L, await Storage.ScalarAsync<long>("SELECT COUNT(*) FROM batch_verifications WHERE id = $1", batch.BatchId!.Value));
    }

    [TestMethod]
    public async Task ReencryptAllAsync_NewMasterKeyWithTheOldAsPrevious_EveryKeyRewrappedAndStillSigns()
    {
        // A database of its own: a master key that no other test's data knows.
        await using var database = await Storage.CreateAnotherAsync();
        var oldKey = TestHost.NewMasterKey();
        var newKey = TestHost.NewMasterKey();
        var specs = new[] { KeySpec.EcdsaP256, KeySpec.Ed25519, KeySpec.Rsa2048 };
        var keys = new List<(KeyId Id, byte[] Signature)>();
        await using (var before = await TestHost.StartAsync(database, oldKey))
        {
            foreach (var spec in specs)
            {
                var key = await before.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(spec, $"rewrap {spec.Name}"));
                keys.Add((key.Id, (await before.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature));
            }

            using var outside = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            await before.Get<IKeyStore>().ImportAsync(new ImportKeyRequest("public only", outside.ExportSubjectPublicKeyInfo(), KeyFormat.Der));
        }

        var oldIds = await MasterKeyIdsInUseAsync(database);
        ReencryptionSummary summary, again;
        await using (var after = await TestHost.StartAsync(database, newKey, masterKeyOptions: o => o.PreviousMasterKeys = oldKey))
        {
            summary = await after.Get<IPrivateKeyReencryptor>().ReencryptAllAsync();
            again = await after.Get<IPrivateKeyReencryptor>().ReencryptAllAsync();

            // The key rows too, as the reencrypt command does: their MACs move to the new master key.
            await after.Get<IKeyRowAuthenticator>().AuthenticateAllAsync();
        }

        var newIds = await MasterKeyIdsInUseAsync(database);
        Assert.AreEqual(new ReencryptionSummary(Encrypted: 0, Rewrapped: specs.Length, Unchanged: 0), summary);
        Assert.AreEqual(new ReencryptionSummary(Encrypted: 0, Rewrapped: 0, Unchanged: specs.Length), again);
        Assert.HasCount(1, oldIds);
        Assert.HasCount(1, newIds);
        Assert.AreNotEqual(oldIds[0], newIds[0]);

        // The old master key is gone for good: the new one alone opens every key.
        await using var only = await TestHost.StartAsync(database, newKey);
        foreach (var (id, oldSignature) in keys)
        {
            var signature = await only.Get<ISigner>().SignAsync(new SignRequest(id, Document));
            Assert.AreEqual(VerificationStatus.Valid, (await only.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, signature.Signature))).Status);
            Assert.AreEqual(VerificationStatus.Valid, (await only.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, oldSignature))).Status);
        }
    }

    private Task<TestHost> StartHostAsync(Action<KeyInfraOptions>? options = null) => TestHost.StartAsync(Storage, s_masterKey, options);

    // The master keys that wrap the stored private keys.
    private static async Task<List<string>> MasterKeyIdsInUseAsync(ConformanceStorage database)
    {
        var ids = new List<string>();
        while (await database.ScalarAsync<string?>("SELECT MIN(master_key_id) FROM private_keys WHERE master_key_id > $1", ids.LastOrDefault(string.Empty)) is { } next)
        {
            ids.Add(next);
        }

        return ids;
    }

    private static byte[] UncompressedPoint(ECPoint q) => [0x04, .. q.X!, .. q.Y!];

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
