using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// How the engine reads keys: verification and listing never read private key material, signing does (after the key's
/// public entry, on which it authorizes and checks status); a cold key is read once for all concurrent verifications;
/// every lifecycle update counts in the key's version.
/// </summary>
[TestClass]
public sealed class KeyReaderTests
{
    private static readonly byte[] Document = "read for a purpose"u8.ToArray();

    private static Task<KeyInfraTestHost> StartAsync() => KeyInfraTestHost.StartAsync(
        options: o => o.KeyCache.TimeToLive = TimeSpan.FromHours(1),
        services: RecordingKeyRepository.Decorate);

    private static RecordingKeyRepository Repository(KeyInfraTestHost host) => (RecordingKeyRepository)host.Get<IKeyRepository>();

    [TestMethod]
    public async Task VerifyAsync_ColdKeyManyConcurrentCallers_OneStorageReadForAll()
    {
        await using var host = await StartAsync();
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "cold key"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            var repository = Repository(host);
            var verifier = host.Get<IVerifier>();

            // Signing reads the key's public entry first (it authorizes and checks the status there before it reads
            // or decrypts the private key), which puts the key in the cache verification uses: drop it to start cold.
            host.Get<IKeyCacheInvalidator>().InvalidateAll();
            repository.Clear();
            repository.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // Each call runs up to the held read before it returns, so all eight are waiting on one load.
            var verifications = Enumerable.Range(0, 8).Select(_ => verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature))).ToList();
            var readsWhileHeld = repository.Reads;
            repository.Gate.SetResult();
            var results = await Task.WhenAll(verifications);

            CollectionAssert.AreEqual(new[] { "Find(public)" }, readsWhileHeld.ToArray());
            CollectionAssert.AreEqual(new[] { "Find(public)" }, repository.Reads.ToArray());
            Assert.IsTrue(results.All(r => r.Status == VerificationStatus.Valid));
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task VerifyAsync_SharedLoadFails_EveryWaiterGetsTheErrorAndTheNextCallReadsAgain()
    {
        await using var host = await StartAsync();
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "failing load"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            var repository = Repository(host);
            var verifier = host.Get<IVerifier>();

            // Signing reads the key's public entry first (it authorizes and checks the status there before it reads
            // or decrypts the private key), which puts the key in the cache verification uses: drop it to start cold.
            host.Get<IKeyCacheInvalidator>().InvalidateAll();
            repository.Clear();
            repository.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            var waiting = Enumerable.Range(0, 3).Select(_ => verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature))).ToList();
            repository.Gate.SetException(new TimeoutException("storage timed out"));
            foreach (var verification in waiting)
            {
                await Assert.ThrowsExactlyAsync<TimeoutException>(() => verification);
            }

            repository.Gate = null;
            var retried = await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));

            CollectionAssert.AreEqual(new[] { "Find(public)", "Find(public)" }, repository.Reads.ToArray(), "One shared read, then a new one: a failure is not cached.");
            Assert.AreEqual(VerificationStatus.Valid, retried.Status);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task VerifyAsync_KeyInvalidatedWhileItLoads_LaterCallerReadsAgain()
    {
        await using var host = await StartAsync();
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "invalidated while loading"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            var repository = Repository(host);
            var verifier = host.Get<IVerifier>();

            // Signing reads the key's public entry first (it authorizes and checks the status there before it reads
            // or decrypts the private key), which puts the key in the cache verification uses: drop it to start cold.
            host.Get<IKeyCacheInvalidator>().InvalidateAll();
            repository.Clear();
            repository.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            var before = verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));
            host.Get<IKeyCacheInvalidator>().Invalidate(key.TenantId, key.Id);
            var after = verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));
            var readsWhileHeld = repository.Reads;
            repository.Gate.SetResult();
            await Task.WhenAll(before, after);

            Assert.HasCount(2, readsWhileHeld, "A load started before the invalidation is not shared with later callers.");
            Assert.AreEqual(VerificationStatus.Valid, (await before).Status);
            Assert.AreEqual(VerificationStatus.Valid, (await after).Status);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task VerifyAndSign_ColdKey_VerificationReadsNoPrivateKeyAndSigningDoes()
    {
        await using var host = await StartAsync();
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP384, "two purposes"));
            var repository = Repository(host);
            repository.Clear();

            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            var signingReads = repository.Reads;
            repository.Clear();
            var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature));

            // Signing reads the public entry (no private key material) to authorize the caller and check the key's status
            // before anything private is read or decrypted, then the private key; the public entry it cached is the one
            // verification uses, so the verification after it reads nothing.
            CollectionAssert.AreEqual(new[] { "Find(public)", "Find(private)" }, signingReads.ToArray());
            CollectionAssert.AreEqual(Array.Empty<string>(), repository.Reads.ToArray());
            Assert.AreEqual(VerificationStatus.Valid, result.Status);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task ListAndGet_KeysWithAndWithoutPrivateKeys_ReadNoPrivateKeyAndSayWhichHaveOne()
    {
        await using var host = await StartAsync();
        try
        {
            var keys = host.Get<IKeyStore>();
            var created = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "created"));
            using var external = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var imported = await keys.ImportAsync(new ImportKeyRequest("imported", external.ExportSubjectPublicKeyInfo(), KeyFormat.Der));
            var repository = Repository(host);
            repository.Clear();

            var page = await keys.ListAsync(new KeyQuery());
            var got = await keys.GetAsync(created.Id);

            CollectionAssert.AreEqual(new[] { "List(public)", "Find(public)" }, repository.Reads.ToArray());
            Assert.IsTrue(page.Items.Single(k => k.Id == created.Id).HasPrivateKey);
            Assert.IsFalse(page.Items.Single(k => k.Id == imported.Id).HasPrivateKey);
            Assert.IsTrue(got!.HasPrivateKey);
            CollectionAssert.AreEqual(created.PublicKeySpki.ToArray(), got.PublicKeySpki.ToArray());
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task FindAsync_WithoutPrivateKey_ReturnsNoMaterialButSaysThereIsOne()
    {
        await using var host = await StartAsync();
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "stored"));
            var repository = host.Get<IKeyRepository>();

            var withoutMaterial = await repository.FindAsync(key.TenantId, key.Id, includePrivateKey: false);
            var listed = await repository.ListAsync(key.TenantId, new KeyQuery(), 10, includePrivateKey: false);
            var full = await repository.FindAsync(key.TenantId, key.Id, includePrivateKey: true);

            Assert.IsNull(withoutMaterial!.PrivateKey);
            Assert.IsTrue(withoutMaterial.HasPrivateKey);
            Assert.IsNull(listed.Single().PrivateKey);
            Assert.IsTrue(listed.Single().HasPrivateKey);
            Assert.IsNotNull(full!.PrivateKey);
            Assert.IsTrue(full.HasPrivateKey);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task RevokeAsync_ActiveKey_VersionCountsTheUpdate()
    {
        await using var host = await StartAsync();
        try
        {
            var keys = host.Get<IKeyStore>();
            var created = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "versioned"));

            var revoked = await keys.RevokeAsync(created.Id, RevocationReason.Superseded);
            var read = await keys.GetAsync(created.Id);

            Assert.AreEqual(1L, created.Version);
            Assert.AreEqual(2L, revoked.Version);
            Assert.AreEqual(2L, read!.Version);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }
}
