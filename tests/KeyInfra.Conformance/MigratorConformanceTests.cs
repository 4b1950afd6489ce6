using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// The contract of <see cref="IKeyInfraMigrator"/> that every storage provider keeps, run by each provider's test
/// project against its real database server. Every test migrates a database of its own.
/// </summary>
public abstract class MigratorConformanceTests
{
    private static readonly string[] s_tables =
        ["algorithms", "batch_verification_items", "batch_verifications", "curves", "master_keys", "master_secret_salts", "private_keys", "public_keys", "verification_log_checkpoints", "verification_log_digests", "verification_records"];

    /// <summary>The provider's database; the tests make others like it.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task GetStatusAsync_NewDatabase_AllMigrationsPending()
    {
        await using var database = await Storage.CreateAnotherAsync(migrate: false);

        var status = await database.Migrator.GetStatusAsync();

        Assert.IsEmpty(status.Applied);
        Assert.IsNotEmpty(status.Pending);
        Assert.IsTrue(status.Pending[0].EndsWith("_InitialCreate", StringComparison.Ordinal), status.Pending[0]);
        Assert.IsFalse(status.IsUpToDate);
    }

    [TestMethod]
    public async Task MigrateAsync_ToLatest_CreatesSnakeCaseTablesAndIsUpToDate()
    {
        await using var database = await Storage.CreateAnotherAsync(migrate: false);
        var pending = (await database.Migrator.GetStatusAsync()).Pending;

        await database.Migrator.MigrateAsync();
        var status = await database.Migrator.GetStatusAsync();
        var tables = (await database.ListTablesAsync()).ToList();

        Assert.IsTrue(status.IsUpToDate);
        Assert.IsEmpty(status.Pending);
        CollectionAssert.AreEqual(pending.ToList(), status.Applied.ToList());
        CollectionAssert.IsSubsetOf(s_tables, tables);
        CollectionAssert.Contains(tables, database.MigrationsHistoryTable);
        CollectionAssert.DoesNotContain(tables, "__EFMigrationsHistory");
    }

    [TestMethod]
    public async Task MigrateAsync_Twice_IsANoOp()
    {
        await using var database = await Storage.CreateAnotherAsync(migrate: false);
        await database.Migrator.MigrateAsync();
        var first = await database.Migrator.GetStatusAsync();

        await database.Migrator.MigrateAsync();
        var second = await database.Migrator.GetStatusAsync();

        CollectionAssert.AreEqual(first.Applied.ToList(), second.Applied.ToList());
        Assert.AreEqual(1L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM algorithms WHERE name = 'ecdsa'"));
    }

    [TestMethod]
    public async Task MigrateAsync_DownToZeroAndUpAgain_DropsAndRecreatesEverything()
    {
        await using var database = await Storage.CreateAnotherAsync();
        await database.Keys.AddAsync(TestData.Key(Guid.NewGuid()));

        await database.Migrator.MigrateAsync("0");
        var downStatus = await database.Migrator.GetStatusAsync();
        var tablesAfterDown = (await database.ListTablesAsync()).ToList();

        Assert.IsEmpty(downStatus.Applied);
        Assert.IsFalse(downStatus.IsUpToDate);
        foreach (var table in s_tables)
        {
            CollectionAssert.DoesNotContain(tablesAfterDown, table);
        }

        await database.Migrator.MigrateAsync();
        var upStatus = await database.Migrator.GetStatusAsync();

        Assert.IsTrue(upStatus.IsUpToDate);
        Assert.AreEqual(0L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM public_keys"));
        Assert.AreEqual(3L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM algorithms"));
    }

    [TestMethod]
    public async Task MigrateAsync_UnknownTarget_Throws()
    {
        await using var database = await Storage.CreateAnotherAsync(migrate: false);

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => database.Migrator.MigrateAsync("NoSuchMigration"));
    }

    [TestMethod]
    public async Task MigrateAsync_SeedsAlgorithmsWithEnumIds()
    {
        await using var database = await Storage.CreateAnotherAsync();

        Assert.AreEqual(3L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM algorithms"));
        Assert.AreEqual("ecdsa", await database.ScalarAsync<string>("SELECT name FROM algorithms WHERE id = $1", (int)KeyAlgorithm.Ecdsa));
        Assert.AreEqual("rsa", await database.ScalarAsync<string>("SELECT name FROM algorithms WHERE id = $1", (int)KeyAlgorithm.Rsa));
        Assert.AreEqual("eddsa", await database.ScalarAsync<string>("SELECT name FROM algorithms WHERE id = $1", (int)KeyAlgorithm.EdDsa));
    }

    [TestMethod]
    public async Task MigrateAsync_SeedsCurvesWithTheirAlgorithms()
    {
        await using var database = await Storage.CreateAnotherAsync();
        (KeyCurve Curve, string Row)[] expected =
        [
            (KeyCurve.P256, "p-256/ecdsa"),
            (KeyCurve.P384, "p-384/ecdsa"),
            (KeyCurve.P521, "p-521/ecdsa"),
            (KeyCurve.Secp256k1, "secp256k1/ecdsa"),
            (KeyCurve.Ed25519, "ed25519/eddsa"),
        ];

        Assert.AreEqual((long)expected.Length, await database.ScalarAsync<long>("SELECT COUNT(*) FROM curves"));
        foreach (var (curve, row) in expected)
        {
            Assert.AreEqual(row, await database.ScalarAsync<string>("SELECT c.name || '/' || a.name FROM curves c JOIN algorithms a ON a.id = c.algorithm_id WHERE c.id = $1", (int)curve));
        }
    }

    [TestMethod]
    public void Migrations_OfTheProvider_AreNotPublic()
    {
        // EF Core finds migrations by reflection; they are not API.
        var types = Storage.ProviderAssembly.GetTypes();
        var migrationTypes = types
            .Where(t => t.Namespace == Storage.MigrationsNamespace || typeof(Migration).IsAssignableFrom(t) || typeof(ModelSnapshot).IsAssignableFrom(t))
            .ToList();

        Assert.IsTrue(migrationTypes.Any(t => typeof(Migration).IsAssignableFrom(t)), $"No migrations found in {Storage.ProviderAssembly.GetName().Name}.");
        Assert.IsTrue(migrationTypes.Any(t => typeof(ModelSnapshot).IsAssignableFrom(t)), $"No model snapshot found in {Storage.ProviderAssembly.GetName().Name}.");
        CollectionAssert.AreEqual(Array.Empty<string>(), migrationTypes.Where(t => t.IsVisible).Select(t => t.FullName).ToArray());
    }
}
