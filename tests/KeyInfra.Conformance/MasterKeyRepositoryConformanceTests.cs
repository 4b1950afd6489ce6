using KeyInfra.Storage;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// The contract of <see cref="IMasterKeyRepository"/> that every storage provider keeps, run by each provider's test
/// project against its real database. Master key checks are global, so every test uses a database of its own.
/// </summary>
public abstract class MasterKeyRepositoryConformanceTests
{
    /// <summary>The provider's database; the tests make others like it.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task ListAsync_NewDatabase_IsEmpty()
    {
        await using var database = await Storage.CreateAnotherAsync();

        Assert.IsEmpty(await database.MasterKeys.ListAsync());
    }

    [TestMethod]
    public async Task AddAsync_ThenListAsync_ReturnsChecksOldestFirst()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var newer = new MasterKeyCheck("mk-2026", [4, 5, 6], TestData.Epoch.AddDays(30));
        var older = new MasterKeyCheck("mk-2025", [1, 2, 3], TestData.Epoch);

        await database.MasterKeys.AddAsync(newer);
        await database.MasterKeys.AddAsync(older);
        var checks = await database.MasterKeys.ListAsync();

        CollectionAssert.AreEqual(new[] { "mk-2025", "mk-2026" }, checks.Select(c => c.KeyId).ToList());
        CollectionAssert.AreEqual(older.CheckValue, checks[0].CheckValue);
        Assert.AreEqual(older.CreatedAt, checks[0].CreatedAt);
    }

    [TestMethod]
    public async Task AddAsync_SameKeyIdTwice_KeepsTheFirstCheck()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var first = new MasterKeyCheck("mk-1", [1, 1, 1], TestData.Epoch);

        await database.MasterKeys.AddAsync(first);
        await database.MasterKeys.AddAsync(first);
        await database.MasterKeys.AddAsync(new MasterKeyCheck("mk-1", [2, 2, 2], TestData.Epoch.AddDays(1)));
        var checks = await database.MasterKeys.ListAsync();

        Assert.HasCount(1, checks);
        CollectionAssert.AreEqual(first.CheckValue, checks[0].CheckValue);
        Assert.AreEqual(first.CreatedAt, checks[0].CreatedAt);
    }

    [TestMethod]
    public async Task AddAsync_ConcurrentAddsOfOneKeyId_StoreOneRowWithoutErrors()
    {
        await using var database = await Storage.CreateAnotherAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => database.MasterKeys.AddAsync(new MasterKeyCheck("mk-race", [(byte)i], TestData.Epoch))));

        Assert.HasCount(1, await database.MasterKeys.ListAsync());
    }
}
