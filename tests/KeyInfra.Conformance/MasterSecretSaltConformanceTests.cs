using System.Security.Cryptography;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// The master secret's per-database salt, run by each provider's test project against its real database: the storage
/// contract of <see cref="IMasterKeyRepository.GetOrAddSecretSaltAsync"/> (the first salt stays, every caller gets it),
/// and the engine on top of it: instances on one database derive one key from one secret, another database derives
/// another, and a salt a database writer made cheap is refused. Every test uses a database of its own.
/// </summary>
public abstract class MasterSecretSaltConformanceTests
{
    private const string Secret = "a-long-random-master-secret-for-the-conformance-suite-0123456789";

    /// <summary>The provider's database; the tests make others like it.</summary>
    protected abstract ConformanceStorage Storage { get; }

    private static MasterSecretSalt NewSalt(byte fill) => new(MasterSecretSalt.Argon2id, Enumerable.Repeat(fill, 16).ToArray(), 65536, 3, 1, TestData.Epoch);

    [TestMethod]
    public async Task GetOrAddSecretSaltAsync_NewDatabase_StoresAndReturnsTheProposal()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var proposed = NewSalt(0x5a);

        var stored = await database.MasterKeys.GetOrAddSecretSaltAsync(proposed);

        CollectionAssert.AreEqual(proposed.Salt, stored.Salt);
        Assert.AreEqual((proposed.Algorithm, proposed.MemoryKib, proposed.Iterations, proposed.Parallelism), (stored.Algorithm, stored.MemoryKib, stored.Iterations, stored.Parallelism));
        Assert.AreEqual(proposed.CreatedAt, stored.CreatedAt);
        Assert.AreEqual(1L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM master_secret_salts"));
    }

    [TestMethod]
    public async Task GetOrAddSecretSaltAsync_SaltAlreadyStored_ReturnsTheStoredOneAndKeepsIt()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var first = NewSalt(0x01);
        await database.MasterKeys.GetOrAddSecretSaltAsync(first);

        var second = await database.MasterKeys.GetOrAddSecretSaltAsync(NewSalt(0x02) with { MemoryKib = 131072 });

        CollectionAssert.AreEqual(first.Salt, second.Salt);
        Assert.AreEqual(first.MemoryKib, second.MemoryKib);
        Assert.AreEqual(1L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM master_secret_salts"));
    }

    [TestMethod]
    public async Task GetOrAddSecretSaltAsync_ConcurrentProposals_EveryCallerGetsTheOneStored()
    {
        await using var database = await Storage.CreateAnotherAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => database.MasterKeys.GetOrAddSecretSaltAsync(NewSalt((byte)(i + 1)))));
        var stored = await database.ScalarAsync<byte[]>("SELECT salt FROM master_secret_salts");

        Assert.AreEqual(1L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM master_secret_salts"));
        foreach (var result in results)
        {
            CollectionAssert.AreEqual(stored, result.Salt);
        }
    }

    [TestMethod]
    public async Task StartAsync_SameSecretOnOneDatabase_EveryInstanceDerivesTheSameKey()
    {
        await using var database = await Storage.CreateAnotherAsync();
        KeyId key;
        string firstId;
        await using (var first = await StartWithSecretAsync(database))
        {
            key = (await first.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "derived"))).Id;
            firstId = await CurrentKeyIdAsync(first);
        }

        await using var second = await StartWithSecretAsync(database);
        var signature = await second.Get<ISigner>().SignAsync(new SignRequest(key, "data"u8.ToArray()));

        Assert.AreEqual(firstId, await CurrentKeyIdAsync(second));
        Assert.IsNotEmpty(signature.Signature.ToArray());
        Assert.AreEqual(firstId, await database.ScalarAsync<string>("SELECT master_key_id FROM private_keys WHERE key_id = $1", key));
    }

    [TestMethod]
    public async Task StartAsync_SameSecretOnAnotherDatabase_DerivesAnotherKey()
    {
        await using var one = await Storage.CreateAnotherAsync();
        await using var other = await Storage.CreateAnotherAsync();

        string oneId, otherId;
        await using (var host = await StartWithSecretAsync(one))
        {
            oneId = await CurrentKeyIdAsync(host);
        }

        await using (var host = await StartWithSecretAsync(other))
        {
            otherId = await CurrentKeyIdAsync(host);
        }

        Assert.AreNotEqual(oneId, otherId);
        CollectionAssert.AreNotEqual(
            await one.ScalarAsync<byte[]>("SELECT salt FROM master_secret_salts"),
            await other.ScalarAsync<byte[]>("SELECT salt FROM master_secret_salts"));
    }

    [TestMethod]
    public async Task StartAsync_NewDatabase_StoresARandomSaltWithTheDocumentedCost()
    {
        await using var database = await Storage.CreateAnotherAsync();

        await using (await StartWithSecretAsync(database))
        {
        }

        Assert.AreEqual("argon2id", await database.ScalarAsync<string>("SELECT algorithm FROM master_secret_salts"));
        Assert.HasCount(16, await database.ScalarAsync<byte[]>("SELECT salt FROM master_secret_salts"));
        Assert.AreEqual(65536, await database.ScalarAsync<int>("SELECT memory_kib FROM master_secret_salts"));
        Assert.AreEqual(3, await database.ScalarAsync<int>("SELECT iterations FROM master_secret_salts"));
        Assert.AreEqual(1, await database.ScalarAsync<int>("SELECT parallelism FROM master_secret_salts"));
    }

    [TestMethod]
    public async Task StartAsync_SaltPlantedWithACheapCostBeforeTheFirstStart_IsRefused()
    {
        // A database writer stores a salt whose cost makes every guess of the secret cheap, before the first start.
        await using var database = await Storage.CreateAnotherAsync();
        await database.MasterKeys.GetOrAddSecretSaltAsync(NewSalt(0x07) with { MemoryKib = 8, Iterations = 1 });

        var e = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => StartWithSecretAsync(database));

        Assert.AreEqual(ErrorCodes.MasterSecretSaltInvalid, e.ErrorCode);
        Assert.AreEqual(0L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM master_keys"));
    }

    [TestMethod]
    public async Task StartAsync_SaltChangedAfterKeysWereWritten_FailsTheMasterKeyCheck()
    {
        await using var database = await Storage.CreateAnotherAsync();
        await using (var host = await StartWithSecretAsync(database))
        {
            await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "before"));
        }

        await database.ExecuteAsync("UPDATE master_secret_salts SET salt = $1", RandomNumberGenerator.GetBytes(16));

        // Another salt gives another key: its id is not the one the data was wrapped under, so that key is missing.
        var e = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => StartWithSecretAsync(database));
        CollectionAssert.Contains(new[] { ErrorCodes.MasterKeyUnavailable, ErrorCodes.MasterKeyCheckFailed }, e.ErrorCode);
    }

    private static Task<TestHost> StartWithSecretAsync(ConformanceStorage database)
        => TestHost.StartAsync(database, masterKeyOptions: o =>
        {
            o.MasterKey = null;
            o.MasterSecret = Secret;
        });

    private static async Task<string> CurrentKeyIdAsync(TestHost host)
    {
        using var lease = await host.Get<IEncryptionKeyProvider>().AcquireRingAsync();
        return lease.Ring.Current.Id;
    }
}
