using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// The contract of <see cref="IKeyRepository"/> that every storage provider keeps, run by each provider's test
/// project against its real database.
/// </summary>
public abstract class KeyRepositoryConformanceTests
{
    /// <summary>The provider's database, shared by the tests of the class (every test uses tenants of its own).</summary>
    protected abstract ConformanceStorage Storage { get; }

    private IKeyRepository Keys => Storage.Keys;

    [TestMethod]
    public async Task AddAsync_ThenFindAsync_RoundTripsEveryField()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant, name: "signing key", ringName: "orders", ringVersion: 1, owner: "billing",
            metadata: new Dictionary<string, string> { ["env"] = "prod", ["team"] = "payments" }) with
        {
            Spec = KeySpec.EcdsaP384,
            PublicKeyFormat = KeyFormat.Pem,
            CreatedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero).AddTicks(4567),
            ExpiresAt = new DateTimeOffset(2027, 3, 1, 14, 0, 0, TimeSpan.FromHours(2)),
            DefaultSignatureEncoding = SignatureEncoding.Der,
            DefaultRsaPadding = RsaPadding.Pkcs1,
            DefaultPssSaltLength = 20,
            SpkiSha256 = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(),
            JwkThumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
            Version = 7,
        };
        key = key with { PrivateKey = key.PrivateKey! with { Backend = "test-backend" } };

        Assert.IsTrue(await Keys.AddAsync(key));
        var found = await Keys.FindAsync(tenant, key.Id);

        Assert.IsNotNull(found);
        AssertSameKey(key with { CreatedAt = Storage.AsStored(key.CreatedAt) }, found);
    }

    [TestMethod]
    [DataRow("rsa-2048")]
    [DataRow("rsa-4096")]
    [DataRow("ed25519")]
    [DataRow("ecdsa-secp256k1")]
    [DataRow("ecdsa-p521")]
    public async Task AddAsync_EachKeySpec_RoundTrips(string specName)
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant, spec: KeySpec.Parse(specName));

        await Keys.AddAsync(key);
        var found = await Keys.FindAsync(tenant, key.Id);

        Assert.AreEqual(KeySpec.Parse(specName), found!.Spec);
    }

    [TestMethod]
    public async Task AddAsync_WithoutPrivateKey_StoresNoPrivateKeyRow()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant, withPrivateKey: false);

        await Keys.AddAsync(key);
        var found = await Keys.FindAsync(tenant, key.Id);

        Assert.IsNull(found!.PrivateKey);
        Assert.AreEqual(0L, await Storage.ScalarAsync<long>("SELECT COUNT(*) FROM private_keys WHERE key_id = $1", key.Id));
    }

    [TestMethod]
    public async Task AddAsync_DuplicateRingVersion_ReturnsFalseAndAddsNothing()
    {
        var tenant = Guid.NewGuid();
        var first = TestData.Key(tenant, ringName: "dup-ring", ringVersion: 1);
        var second = TestData.Key(tenant, ringName: "dup-ring", ringVersion: 1);
        await Keys.AddAsync(first);

        var added = await Keys.AddAsync(second);

        Assert.IsFalse(added);
        Assert.IsNull(await Keys.FindAsync(tenant, second.Id));
        Assert.AreEqual(first.Id, (await Keys.FindLatestInRingAsync(tenant, "dup-ring"))!.Id);
        Assert.IsFalse((await Keys.ListPrivateKeysAsync().ToListAsync()).Any(p => p.KeyId == second.Id));
    }

    [TestMethod]
    public async Task AddAsync_SameRingVersionInAnotherTenant_Succeeds()
    {
        var ring = "shared-ring-name";

        Assert.IsTrue(await Keys.AddAsync(TestData.Key(Guid.NewGuid(), ringName: ring, ringVersion: 1)));
        Assert.IsTrue(await Keys.AddAsync(TestData.Key(Guid.NewGuid(), ringName: ring, ringVersion: 1)));
    }

    [TestMethod]
    public async Task AddAsync_DuplicateId_Throws()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await Keys.AddAsync(key);

        await Assert.ThrowsExactlyAsync<DbUpdateException>(() => Keys.AddAsync(key with { Name = "again" }));
    }

    [TestMethod]
    public async Task FindAsync_OtherTenantOrUnknownId_ReturnsNull()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await Keys.AddAsync(key);

        Assert.IsNull(await Keys.FindAsync(Guid.NewGuid(), key.Id));
        Assert.IsNull(await Keys.FindAsync(tenant, KeyId.New()));
    }

    [TestMethod]
    public async Task FindByPublicKeyAsync_StoredFingerprints_MatchesInIdOrderWithinTheTenantUpToTheLimit()
    {
        var tenant = Guid.NewGuid();
        var sha256 = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        const string thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
        var ids = TestData.OrderedKeyIds(3);
        foreach (var id in ids)
        {
            await Keys.AddAsync(TestData.Key(tenant, id) with { SpkiSha256 = sha256, JwkThumbprint = thumbprint });
        }

        await Keys.AddAsync(TestData.Key(Guid.NewGuid()) with { SpkiSha256 = sha256, JwkThumbprint = thumbprint });
        await Keys.AddAsync(TestData.Key(tenant) with { SpkiSha256 = new byte[32], JwkThumbprint = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k" });

        var bySha = await Keys.FindByPublicKeyAsync(tenant, PublicKeyLookup.BySpkiSha256(sha256), 10);
        var byThumbprint = await Keys.FindByPublicKeyAsync(tenant, PublicKeyLookup.ByJwkThumbprint(thumbprint), 2);

        CollectionAssert.AreEqual(ids, bySha.Select(k => k.Id).ToArray());
        CollectionAssert.AreEqual(ids[..2], byThumbprint.Select(k => k.Id).ToArray());
        CollectionAssert.AreEqual(sha256, bySha[0].SpkiSha256);
        Assert.AreEqual(thumbprint, bySha[0].JwkThumbprint);
    }

    [TestMethod]
    public async Task FindLatestInRingAsync_SeveralVersions_ReturnsTheHighest()
    {
        var tenant = Guid.NewGuid();
        foreach (var version in new[] { 2, 3, 1 })
        {
            await Keys.AddAsync(TestData.Key(tenant, name: $"v{version}", ringName: "rotating", ringVersion: version));
        }

        var latest = await Keys.FindLatestInRingAsync(tenant, "rotating");

        Assert.AreEqual(3, latest!.RingVersion);
        Assert.AreEqual("v3", latest.Name);
        Assert.IsNull(await Keys.FindLatestInRingAsync(Guid.NewGuid(), "rotating"));
        Assert.IsNull(await Keys.FindLatestInRingAsync(tenant, "no-such-ring"));
    }

    [TestMethod]
    public async Task ListAsync_PagedAcrossPages_ReturnsEveryKeyOnceInCreationOrder()
    {
        var tenant = Guid.NewGuid();
        var ids = TestData.OrderedKeyIds(11);

        // Added out of order: the listing must follow the ids, not the insertion order.
        foreach (var id in ids.Reverse())
        {
            await Keys.AddAsync(TestData.Key(tenant, id));
        }

        var listed = new List<KeyId>();
        KeyId? after = null;
        int pages = 0;
        while (true)
        {
            var page = await Keys.ListAsync(tenant, new KeyQuery { After = after }, limit: 4);
            pages++;
            listed.AddRange(page.Select(k => k.Id));
            if (page.Count < 4)
            {
                break;
            }

            after = page[^1].Id;
        }

        CollectionAssert.AreEqual(ids, listed);
        Assert.AreEqual(3, pages);
    }

    [TestMethod]
    public async Task ListAsync_IdsAcrossTheWholeRange_OrderedAsGuidCompareTo()
    {
        var tenant = Guid.NewGuid();
        string[] texts =
        [
            "ffffffff-0000-7000-8000-000000000000", "00000000-0000-7000-8000-000000000001", "7fffffff-ffff-7fff-bfff-ffffffffffff",
            "80000000-0000-7000-8000-000000000000", "9fffffff-0000-7000-8000-000000000000", "a0000000-0000-7000-8000-000000000000",
            "0000000a-0000-7000-8000-000000000000", "00000009-ffff-7000-8000-000000000000", "00000000-0000-7000-8000-0000000000ff",
        ];
        var ids = texts.Select(t => new KeyId(Guid.Parse(t))).ToList();
        foreach (var id in ids)
        {
            await Keys.AddAsync(TestData.Key(tenant, id));
        }

        var all = await Keys.ListAsync(tenant, new KeyQuery(), limit: 100);
        var afterSecond = await Keys.ListAsync(tenant, new KeyQuery { After = all[1].Id }, limit: 100);

        var expected = ids.OrderBy(i => i.Value).ToList();
        CollectionAssert.AreEqual(expected, all.Select(k => k.Id).ToList());
        CollectionAssert.AreEqual(expected.Skip(2).ToList(), afterSecond.Select(k => k.Id).ToList());
    }

    [TestMethod]
    public async Task ListAsync_EachFilter_ReturnsOnlyMatchingKeys()
    {
        var tenant = Guid.NewGuid();
        var ids = TestData.OrderedKeyIds(5);
        var active = TestData.Key(tenant, ids[0], owner: "alice");
        var revoked = TestData.Key(tenant, ids[1], status: KeyStatus.Revoked, owner: "bob");
        var rsa = TestData.Key(tenant, ids[2], spec: KeySpec.Rsa3072, owner: "alice");
        var ringed = TestData.Key(tenant, ids[3], ringName: "filter-ring", ringVersion: 1, status: KeyStatus.Expired);
        var ed = TestData.Key(tenant, ids[4], spec: KeySpec.Ed25519);
        foreach (var key in new[] { active, revoked, rsa, ringed, ed })
        {
            await Keys.AddAsync(key);
        }

        async Task<List<KeyId>> List(KeyQuery query) => (await Keys.ListAsync(tenant, query, 100)).Select(k => k.Id).ToList();

        CollectionAssert.AreEqual(new[] { active.Id, rsa.Id, ed.Id }, await List(new KeyQuery { Status = KeyStatus.Active }));
        CollectionAssert.AreEqual(new[] { revoked.Id }, await List(new KeyQuery { Status = KeyStatus.Revoked }));
        CollectionAssert.AreEqual(new[] { rsa.Id }, await List(new KeyQuery { Algorithm = KeyAlgorithm.Rsa }));
        CollectionAssert.AreEqual(new[] { ed.Id }, await List(new KeyQuery { Algorithm = KeyAlgorithm.EdDsa }));
        CollectionAssert.AreEqual(new[] { ringed.Id }, await List(new KeyQuery { RingName = "filter-ring" }));
        CollectionAssert.AreEqual(new[] { active.Id, rsa.Id }, await List(new KeyQuery { Owner = "alice" }));
        CollectionAssert.AreEqual(new[] { active.Id }, await List(new KeyQuery { Owner = "alice", Algorithm = KeyAlgorithm.Ecdsa }));
        Assert.IsEmpty(await List(new KeyQuery { Owner = "ALICE" }));
    }

    [TestMethod]
    public async Task ListAsync_OtherTenant_SeesNothing()
    {
        var tenantA = Guid.NewGuid();
        await Keys.AddAsync(TestData.Key(tenantA));

        var listed = await Keys.ListAsync(Guid.NewGuid(), new KeyQuery(), 100);

        Assert.IsEmpty(listed);
        Assert.HasCount(1, await Keys.ListAsync(tenantA, new KeyQuery(), 100));
    }

    [TestMethod]
    public async Task UpdateLifecycleAsync_Revoke_SavesStatusTimeAndReasonOnly()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant, name: "keep this name");
        await Keys.AddAsync(key);
        var revokedAt = new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.FromHours(-5));

        var updated = await Keys.UpdateLifecycleAsync(key with
        {
            Version = key.Version + 1,
            Name = "ignored",
            Status = KeyStatus.Revoked,
            RevokedAt = revokedAt,
            RevocationReason = RevocationReason.KeyCompromise,
            ExpiresAt = revokedAt.AddDays(1),
        });
        var found = await Keys.FindAsync(tenant, key.Id);

        Assert.IsTrue(updated);
        Assert.AreEqual(KeyStatus.Revoked, found!.Status);
        Assert.AreEqual(revokedAt, found.RevokedAt);
        Assert.AreEqual(TimeSpan.Zero, found.RevokedAt!.Value.Offset);
        Assert.AreEqual(RevocationReason.KeyCompromise, found.RevocationReason);
        Assert.AreEqual(revokedAt.AddDays(1), found.ExpiresAt);
        Assert.AreEqual("keep this name", found.Name);
    }

    [TestMethod]
    public async Task UpdateLifecycleAsync_EachUpdate_IncrementsVersion()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await Keys.AddAsync(key);

        await Keys.UpdateLifecycleAsync(key with { Status = KeyStatus.Expired, ExpiresAt = TestData.Epoch, Version = key.Version + 1 });
        var afterFirst = await Keys.FindAsync(tenant, key.Id);
        await Keys.UpdateLifecycleAsync(afterFirst! with { Status = KeyStatus.Revoked, RevokedAt = TestData.Epoch, RevocationReason = RevocationReason.Superseded, Version = afterFirst.Version + 1 });
        var afterSecond = await Keys.FindAsync(tenant, key.Id);

        Assert.AreEqual(1L, key.Version);
        Assert.AreEqual(2L, afterFirst!.Version);
        Assert.AreEqual(3L, afterSecond!.Version);
    }

    [TestMethod]
    public async Task UpdatePrivateKeyAsync_OtherBackend_StoresBackendName()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await Keys.AddAsync(key);

        var replaced = await Keys.UpdatePrivateKeyAsync(tenant, key.Id, new PrivateKeyRecord(PrivateKeyProtection.Hsm, [1, 2, 3], null) { Backend = "hsm-test" });
        var found = await Keys.FindAsync(tenant, key.Id);

        Assert.IsTrue(replaced);
        Assert.AreEqual("hsm-test", found!.PrivateKey!.Backend);
        Assert.AreEqual(PrivateKeyProtection.Hsm, found.PrivateKey.Protection);
    }

    [TestMethod]
    public async Task UpdateLifecycleAsync_OtherTenantOrMissingKey_ReturnsFalseAndChangesNothing()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await Keys.AddAsync(key);

        var otherTenant = await Keys.UpdateLifecycleAsync(key with { TenantId = Guid.NewGuid(), Status = KeyStatus.Revoked });
        var missing = await Keys.UpdateLifecycleAsync(TestData.Key(tenant) with { Status = KeyStatus.Revoked });

        Assert.IsFalse(otherTenant);
        Assert.IsFalse(missing);
        Assert.AreEqual(KeyStatus.Active, (await Keys.FindAsync(tenant, key.Id))!.Status);
    }

    [TestMethod]
    public async Task UpdatePrivateKeyAsync_ExistingKey_ReplacesTheProtectedKey()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant, masterKeyId: "old-master");
        await Keys.AddAsync(key);
        var replacement = new PrivateKeyRecord(PrivateKeyProtection.Envelope, [1, 2, 3, 4, 5], "new-master");

        var updated = await Keys.UpdatePrivateKeyAsync(tenant, key.Id, replacement);
        var found = await Keys.FindAsync(tenant, key.Id);

        Assert.IsTrue(updated);
        Assert.AreEqual(PrivateKeyProtection.Envelope, found!.PrivateKey!.Protection);
        CollectionAssert.AreEqual(replacement.Material, found.PrivateKey.Material);
        Assert.AreEqual("new-master", found.PrivateKey.MasterKeyId);
    }

    [TestMethod]
    public async Task UpdatePrivateKeyAsync_KeyWithoutPrivateKey_AddsIt()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant, withPrivateKey: false);
        await Keys.AddAsync(key);
        var hsmReference = new PrivateKeyRecord(PrivateKeyProtection.Hsm, "slot=0;label=k1"u8.ToArray(), null);

        var updated = await Keys.UpdatePrivateKeyAsync(tenant, key.Id, hsmReference);
        var found = await Keys.FindAsync(tenant, key.Id);

        Assert.IsTrue(updated);
        Assert.AreEqual(PrivateKeyProtection.Hsm, found!.PrivateKey!.Protection);
        Assert.IsNull(found.PrivateKey.MasterKeyId);
    }

    [TestMethod]
    public async Task UpdatePrivateKeyAsync_OtherTenantOrMissingKey_ReturnsFalse()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant, masterKeyId: "original");
        await Keys.AddAsync(key);
        var replacement = new PrivateKeyRecord(PrivateKeyProtection.None, [9], null);

        Assert.IsFalse(await Keys.UpdatePrivateKeyAsync(Guid.NewGuid(), key.Id, replacement));
        Assert.IsFalse(await Keys.UpdatePrivateKeyAsync(tenant, KeyId.New(), replacement));
        Assert.AreEqual("original", (await Keys.FindAsync(tenant, key.Id))!.PrivateKey!.MasterKeyId);
    }

    [TestMethod]
    public async Task DeleteAsync_UnknownKey_ReturnsNotFound()
    {
        Assert.AreEqual(DeleteKeyOutcome.NotFound, await Keys.DeleteAsync(Guid.NewGuid(), KeyId.New()));
    }

    [TestMethod]
    public async Task DeleteAsync_UnusedKey_DeletesItAndItsPrivateKey()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await Keys.AddAsync(key);

        var outcome = await Keys.DeleteAsync(tenant, key.Id);

        Assert.AreEqual(DeleteKeyOutcome.Deleted, outcome);
        Assert.IsNull(await Keys.FindAsync(tenant, key.Id));
        Assert.IsFalse((await Keys.ListPrivateKeysAsync().ToListAsync()).Any(p => p.KeyId == key.Id));
    }

    [TestMethod]
    public async Task DeleteAsync_OtherTenant_ReturnsNotFoundAndKeepsTheKey()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await Keys.AddAsync(key);

        var outcome = await Keys.DeleteAsync(Guid.NewGuid(), key.Id);

        Assert.AreEqual(DeleteKeyOutcome.NotFound, outcome);
        Assert.IsNotNull(await Keys.FindAsync(tenant, key.Id));
    }

    [TestMethod]
    public async Task DeleteAsync_KeyWithVerificationRecord_ReturnsInUseAndKeepsEverything()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await Keys.AddAsync(key);
        await Storage.Log.AppendAsync([TestData.Record(tenant, key.Id)], []);

        var outcome = await Keys.DeleteAsync(tenant, key.Id);

        Assert.AreEqual(DeleteKeyOutcome.InUse, outcome);
        Assert.IsNotNull((await Keys.FindAsync(tenant, key.Id))!.PrivateKey);
    }

    [TestMethod]
    public async Task DeleteAsync_KeyWithBatchItem_ReturnsInUse()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await Keys.AddAsync(key);
        var batch = new BatchVerificationRecord
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant,
            StartedAt = TestData.Epoch,
            CompletedAt = TestData.Epoch,
            Items = [TestData.Record(tenant, key.Id)],
        };
        await Storage.Log.AppendAsync([], [batch]);

        Assert.AreEqual(DeleteKeyOutcome.InUse, await Keys.DeleteAsync(tenant, key.Id));
    }

    [TestMethod]
    public async Task DeleteAsync_KeyOnlyNamedByANotFoundRecord_IsDeleted()
    {
        // A record made while the key did not exist (in this tenant) does not reference it.
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await Keys.AddAsync(key);
        await Storage.Log.AppendAsync([TestData.Record(Guid.NewGuid(), key.Id, keyExists: false, status: VerificationStatus.KeyNotFound)], []);

        Assert.AreEqual(DeleteKeyOutcome.Deleted, await Keys.DeleteAsync(tenant, key.Id));
    }

    [TestMethod]
    public async Task ListPrivateKeysAsync_MoreThanOnePage_ListsEveryTenantInKeyIdOrder()
    {
        // A database of its own: the listing is across tenants.
        await using var database = await Storage.CreateAnotherAsync();
        var tenants = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var ids = TestData.OrderedKeyIds(300);
        for (var i = 0; i < ids.Length; i++)
        {
            await database.Keys.AddAsync(TestData.Key(tenants[i % 2], ids[i], withPrivateKey: i % 10 != 0));
        }

        var listed = await database.Keys.ListPrivateKeysAsync().ToListAsync();

        // Every key once; in key id order within a tenant (a store under row-level security goes tenant by tenant).
        var expected = ids.Where((_, i) => i % 10 != 0).ToList();
        CollectionAssert.AreEquivalent(expected, listed.Select(p => p.KeyId).ToList());
        for (var t = 0; t < tenants.Length; t++)
        {
            var ofTenant = ids.Where((_, i) => i % 10 != 0 && i % 2 == t).ToList();
            CollectionAssert.AreEqual(ofTenant, listed.Where(p => p.TenantId == tenants[t]).Select(p => p.KeyId).ToList());
        }

        Assert.AreEqual(tenants[1], listed.Single(p => p.KeyId == ids[1]).TenantId);
        Assert.IsTrue(listed.All(p => p.PrivateKey.MasterKeyId == "mk-1"));
    }

    [TestMethod]
    public async Task ListMasterKeyIdsInUseAsync_ReturnsDistinctIdsAcrossTenants()
    {
        await using var database = await Storage.CreateAnotherAsync();
        await database.Keys.AddAsync(TestData.Key(Guid.NewGuid(), masterKeyId: "mk-b"));
        await database.Keys.AddAsync(TestData.Key(Guid.NewGuid(), masterKeyId: "mk-a"));
        await database.Keys.AddAsync(TestData.Key(Guid.NewGuid(), masterKeyId: "mk-b"));
        await database.Keys.AddAsync(TestData.Key(Guid.NewGuid(), withPrivateKey: false));
        var hsm = TestData.Key(Guid.NewGuid()) with { PrivateKey = new PrivateKeyRecord(PrivateKeyProtection.Hsm, [1], null) };
        await database.Keys.AddAsync(hsm);

        var inUse = await database.Keys.ListMasterKeyIdsInUseAsync();

        CollectionAssert.AreEqual(new[] { "mk-a", "mk-b" }, inUse.ToList());
    }

    [TestMethod]
    [DataRow("O'Brien")]
    [DataRow("'; DROP TABLE public_keys; --")]
    [DataRow("\" OR 1=1 --")]
    [DataRow("名前 🔑 ключ")]
    [DataRow("nul\0inside")]
    [DataRow("back\\slash % _ wildcard")]
    public async Task AddAsync_SqlMetacharacters_RoundTripUnchanged(string text)
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant, name: text, owner: text, ringName: text, ringVersion: 1,
            metadata: new Dictionary<string, string> { [text] = text, ["plain"] = text + text });
        if (text.Contains('\0', StringComparison.Ordinal) && !Storage.StoresNulInText)
        {
            // A store whose text cannot hold NUL refuses the key up front, and a filter with NUL finds nothing.
            await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.AddAsync(key));
            Assert.IsNull(await Keys.FindAsync(tenant, key.Id));
            Assert.IsEmpty(await Keys.ListAsync(tenant, new KeyQuery { Owner = text }, 10));
            Assert.IsNull(await Keys.FindLatestInRingAsync(tenant, text));
            return;
        }

        await Keys.AddAsync(key);
        var found = await Keys.FindAsync(tenant, key.Id);
        var byOwner = await Keys.ListAsync(tenant, new KeyQuery { Owner = text, RingName = text }, 10);
        var inRing = await Keys.FindLatestInRingAsync(tenant, text);

        Assert.AreEqual(text, found!.Name);
        Assert.AreEqual(text, found.Owner);
        Assert.AreEqual(text, found.RingName);
        Assert.AreEqual(text, found.Metadata[text]);
        Assert.AreEqual(text + text, found.Metadata["plain"]);
        Assert.HasCount(1, byOwner);
        Assert.AreEqual(key.Id, inRing!.Id);
        CollectionAssert.Contains((await Storage.ListTablesAsync()).ToList(), "public_keys");
    }

    [TestMethod]
    public async Task AddAsync_Metadata_RoundTripsExactlyAndEmptyStaysEmpty()
    {
        var tenant = Guid.NewGuid();
        var metadata = new Dictionary<string, string>
        {
            ["Case"] = "upper",
            ["case"] = "lower",
            ["json"] = "{\"nested\": [1, 2]}",
            ["empty"] = "",
            ["newline"] = "a\r\nb\tc",
            ["<html>"] = "&amp;",
        };
        var withMetadata = TestData.Key(tenant, metadata: metadata);
        var without = TestData.Key(tenant);

        await Keys.AddAsync(withMetadata);
        await Keys.AddAsync(without);
        var found = await Keys.FindAsync(tenant, withMetadata.Id);
        var foundEmpty = await Keys.FindAsync(tenant, without.Id);

        CollectionAssert.AreEquivalent(metadata.ToList(), found!.Metadata.ToList());
        Assert.IsEmpty(foundEmpty!.Metadata);
    }

    [TestMethod]
    public async Task FindAsync_AfterServiceProviderIsRecreated_DataIsStillThere()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant, ringName: "survivor", ringVersion: 1);
        await database.Keys.AddAsync(key);
        await database.MasterKeys.AddAsync(new MasterKeyCheck("mk-restart", [1, 2, 3], TestData.Epoch));
        await database.Log.AppendAsync([TestData.Record(tenant, key.Id)], []);

        await database.RestartAsync();

        Assert.IsTrue((await database.Migrator.GetStatusAsync()).IsUpToDate);
        AssertSameKey(key, (await database.Keys.FindAsync(tenant, key.Id))!);
        Assert.AreEqual("mk-restart", (await database.MasterKeys.ListAsync()).Single().KeyId);
        Assert.HasCount(1, await database.Log.QueryAsync(tenant, new VerificationLogQuery()));
    }

    [TestMethod]
    public async Task FindAsync_UnknownStoredStatus_ThrowsStoredDataInvalid()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await database.Keys.AddAsync(key);
        await database.ExecuteAsync("UPDATE public_keys SET status = 'suspended'");

        var ex = await Assert.ThrowsExactlyAsync<Errors.KeyInfraException>(() => database.Keys.FindAsync(tenant, key.Id));

        Assert.AreEqual(Errors.ErrorCodes.StoredDataInvalid, ex.ErrorCode);
    }

    [TestMethod]
    public async Task AddAsync_StoresEnumsAsTheirSchemaText()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant, status: KeyStatus.Revoked) with { RevocationReason = RevocationReason.CessationOfOperation };
        await Keys.AddAsync(key);

        var text = await Storage.ScalarAsync<string>(
            "SELECT status || '|' || key_format || '|' || revocation_reason || '|' || default_signature_encoding || '|' || default_rsa_padding " +
            "FROM public_keys WHERE id = $1", key.Id);
        var protection = await Storage.ScalarAsync<string>("SELECT protection FROM private_keys WHERE key_id = $1", key.Id);

        Assert.AreEqual("revoked|der|cessation_of_operation|p1363|pss", text);
        Assert.AreEqual("envelope", protection);
    }

    [TestMethod]
    public async Task DeleteAsync_KeyReferencedFromAnotherTenant_ReturnsInUseAndKeepsTheKey()
    {
        // The in-use check spans tenants: the foreign key does, so a record of any tenant blocks the delete.
        var tenant = Guid.NewGuid();
        var otherTenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await Keys.AddAsync(key);
        await Storage.Log.AppendAsync([TestData.Record(otherTenant, key.Id, keyExists: true)], []);

        var outcome = await Keys.DeleteAsync(tenant, key.Id);

        Assert.AreEqual(DeleteKeyOutcome.InUse, outcome);
        Assert.IsNotNull((await Keys.FindAsync(tenant, key.Id))!.PrivateKey);
    }

    [TestMethod]
    public async Task DeleteAsync_KeyReferencedByABatchItemOfAnotherTenant_ReturnsInUse()
    {
        var tenant = Guid.NewGuid();
        var otherTenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await Keys.AddAsync(key);
        var batch = new BatchVerificationRecord
        {
            Id = Guid.CreateVersion7(),
            TenantId = otherTenant,
            StartedAt = TestData.Epoch,
            CompletedAt = TestData.Epoch,
            Items = [TestData.Record(otherTenant, key.Id, keyExists: true)],
        };
        await Storage.Log.AppendAsync([], [batch]);

        Assert.AreEqual(DeleteKeyOutcome.InUse, await Keys.DeleteAsync(tenant, key.Id));
        Assert.IsNotNull(await Keys.FindAsync(tenant, key.Id));
    }

    [TestMethod]
    public async Task ListAsync_OneUnreadableRow_ThrowsInsteadOfReturningTheRest()
    {
        // A store that cannot read all it needs throws, never returns part.
        var tenant = Guid.NewGuid();
        var ids = TestData.OrderedKeyIds(3);
        foreach (var id in ids)
        {
            await Keys.AddAsync(TestData.Key(tenant, id));
        }

        Assert.AreEqual(1, await Storage.ExecuteAsync("UPDATE public_keys SET status = 'suspended' WHERE id = $1", ids[1]));

        var ex = await Assert.ThrowsExactlyAsync<Errors.KeyInfraException>(() => Keys.ListAsync(tenant, new KeyQuery(), 100));

        Assert.AreEqual(Errors.ErrorCodes.StoredDataInvalid, ex.ErrorCode);
    }

    [TestMethod]
    public async Task FindLatestInRingAsync_UnreadableNewestVersion_Throws()
    {
        var tenant = Guid.NewGuid();
        await Keys.AddAsync(TestData.Key(tenant, ringName: "unreadable", ringVersion: 1));
        var newest = TestData.Key(tenant, ringName: "unreadable", ringVersion: 2);
        await Keys.AddAsync(newest);
        await Storage.ExecuteAsync("UPDATE private_keys SET protection = 'sealed' WHERE key_id = $1", newest.Id);

        var ex = await Assert.ThrowsExactlyAsync<Errors.KeyInfraException>(() => Keys.FindLatestInRingAsync(tenant, "unreadable"));

        Assert.AreEqual(Errors.ErrorCodes.StoredDataInvalid, ex.ErrorCode);
    }

    [TestMethod]
    public async Task FindAsync_KeyCreatedByAHostUsingThisStorage_IsFound()
    {
        // UseStorage points a whole KeyInfra host at the fixture's database (the engine suite builds on it). A
        // database of its own: the host's new master key must not meet the other tests' master key ids.
        await using var database = await Storage.CreateAnotherAsync();
        var services = new ServiceCollection();
        database.UseStorage(services.AddKeyInfrastructure()).UseEnvironmentMasterKey(o =>
        {
            o.MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            o.MasterSecret = null;
            o.PreviousMasterKeys = null;
        });
        await using var host = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var created = await host.GetRequiredService<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "created by a host"));

        var found = await database.Keys.FindAsync(created.TenantId, created.Id);

        Assert.IsNotNull(found);
        Assert.AreEqual("created by a host", found.Name);
        Assert.AreEqual(PrivateKeyProtection.Envelope, found.PrivateKey!.Protection);
        Assert.HasCount(1, await database.MasterKeys.ListAsync());
    }

    private static void AssertSameKey(KeyRecord expected, KeyRecord actual)
    {
        Assert.AreEqual(expected.Id, actual.Id);
        Assert.AreEqual(expected.TenantId, actual.TenantId);
        Assert.AreEqual(expected.Name, actual.Name);
        Assert.AreEqual(expected.Spec, actual.Spec);
        CollectionAssert.AreEqual(expected.PublicKeyData, actual.PublicKeyData);
        Assert.AreEqual(expected.PublicKeyFormat, actual.PublicKeyFormat);
        Assert.AreEqual(expected.Status, actual.Status);
        Assert.AreEqual(expected.CreatedAt, actual.CreatedAt);
        Assert.AreEqual(TimeSpan.Zero, actual.CreatedAt.Offset);
        Assert.AreEqual(expected.ExpiresAt, actual.ExpiresAt);
        Assert.AreEqual(expected.RevokedAt, actual.RevokedAt);
        Assert.AreEqual(expected.RevocationReason, actual.RevocationReason);
        Assert.AreEqual(expected.RingName, actual.RingName);
        Assert.AreEqual(expected.RingVersion, actual.RingVersion);
        Assert.AreEqual(expected.Owner, actual.Owner);
        CollectionAssert.AreEquivalent(expected.Metadata.ToList(), actual.Metadata.ToList());
        Assert.AreEqual(expected.DefaultSignatureEncoding, actual.DefaultSignatureEncoding);
        Assert.AreEqual(expected.DefaultRsaPadding, actual.DefaultRsaPadding);
        Assert.AreEqual(expected.DefaultPssSaltLength, actual.DefaultPssSaltLength);
        CollectionAssert.AreEqual(expected.SpkiSha256, actual.SpkiSha256);
        Assert.AreEqual(expected.JwkThumbprint, actual.JwkThumbprint);
        Assert.AreEqual(expected.Version, actual.Version);
        Assert.AreEqual(expected.PrivateKey!.Backend, actual.PrivateKey!.Backend);
        Assert.AreEqual(expected.PrivateKey!.Protection, actual.PrivateKey!.Protection);
        CollectionAssert.AreEqual(expected.PrivateKey.Material, actual.PrivateKey.Material);
        Assert.AreEqual(expected.PrivateKey.MasterKeyId, actual.PrivateKey.MasterKeyId);
    }
}
