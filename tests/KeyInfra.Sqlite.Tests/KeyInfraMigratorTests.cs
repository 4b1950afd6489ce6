using KeyInfra.Keys;

namespace KeyInfra.Sqlite.Tests;

[TestClass]
public sealed class KeyInfraMigratorTests
{
    private static readonly string[] s_tables =
        ["algorithms", "batch_verification_items", "batch_verifications", "curves", "master_keys", "private_keys", "public_keys", "verification_records"];

    private static string s_directory = "";

    [ClassInitialize]
    public static void ClassInitialize(TestContext context) => s_directory = SqliteTestDatabase.NewDirectory(nameof(KeyInfraMigratorTests));

    [ClassCleanup]
    public static void ClassCleanup() => SqliteTestDatabase.DeleteDirectory(s_directory);

    [TestMethod]
    public async Task GetStatusAsync_NewDatabase_AllMigrationsPending()
    {
        await using var database = new SqliteTestDatabase(s_directory, "status.db");

        var status = await database.Migrator.GetStatusAsync();

        Assert.IsEmpty(status.Applied);
        Assert.IsNotEmpty(status.Pending);
        Assert.IsTrue(status.Pending[0].EndsWith("_InitialCreate", StringComparison.Ordinal), status.Pending[0]);
        Assert.IsFalse(status.IsUpToDate);
    }

    [TestMethod]
    public async Task MigrateAsync_ToLatest_CreatesSnakeCaseTablesAndIsUpToDate()
    {
        await using var database = new SqliteTestDatabase(s_directory, "latest.db");

        await database.Migrator.MigrateAsync();
        var status = await database.Migrator.GetStatusAsync();
        var tables = await TablesAsync(database);

        Assert.IsTrue(status.IsUpToDate);
        Assert.IsNotEmpty(status.Applied);
        CollectionAssert.IsSubsetOf(s_tables, tables);
        CollectionAssert.Contains(tables, SqliteDbContextOptions.MigrationsHistoryTable);
        CollectionAssert.DoesNotContain(tables, "__EFMigrationsHistory");
    }

    [TestMethod]
    public async Task MigrateAsync_Twice_IsANoOp()
    {
        await using var database = new SqliteTestDatabase(s_directory, "twice.db");
        await database.Migrator.MigrateAsync();
        var first = await database.Migrator.GetStatusAsync();

        await database.Migrator.MigrateAsync();
        var second = await database.Migrator.GetStatusAsync();

        CollectionAssert.AreEqual(first.Applied.ToList(), second.Applied.ToList());
        Assert.AreEqual(1L, await database.CountAsync("SELECT COUNT(*) FROM algorithms WHERE name = 'ecdsa'"));
    }

    [TestMethod]
    public async Task MigrateAsync_DownToZeroAndUpAgain_DropsAndRecreatesEverything()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync(s_directory, "down.db");
        await database.Keys.AddAsync(TestData.Key(Guid.NewGuid()));

        await database.Migrator.MigrateAsync("0");
        var downStatus = await database.Migrator.GetStatusAsync();
        var tablesAfterDown = await TablesAsync(database);

        Assert.IsEmpty(downStatus.Applied);
        Assert.IsFalse(downStatus.IsUpToDate);
        foreach (var table in s_tables)
        {
            CollectionAssert.DoesNotContain(tablesAfterDown, table);
        }

        await database.Migrator.MigrateAsync();
        var upStatus = await database.Migrator.GetStatusAsync();

        Assert.IsTrue(upStatus.IsUpToDate);
        Assert.AreEqual(0L, await database.CountAsync("SELECT COUNT(*) FROM public_keys"));
        Assert.AreEqual(3L, await database.CountAsync("SELECT COUNT(*) FROM algorithms"));
    }

    [TestMethod]
    public async Task MigrateAsync_UnknownTarget_Throws()
    {
        await using var database = new SqliteTestDatabase(s_directory, "unknown-target.db");

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => database.Migrator.MigrateAsync("NoSuchMigration"));
    }

    [TestMethod]
    public async Task MigrateAsync_SeedsAlgorithmsWithEnumIds()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync(s_directory, "seed-algorithms.db");

        var rows = await RowsAsync(database, "SELECT id, name FROM algorithms ORDER BY id");

        CollectionAssert.AreEqual(
            new[] { $"{(int)KeyAlgorithm.Ecdsa}:ecdsa", $"{(int)KeyAlgorithm.Rsa}:rsa", $"{(int)KeyAlgorithm.EdDsa}:eddsa" },
            rows);
    }

    [TestMethod]
    public async Task MigrateAsync_SeedsCurvesWithTheirAlgorithms()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync(s_directory, "seed-curves.db");

        var rows = await RowsAsync(database, "SELECT c.id, c.name || '/' || a.name FROM curves c JOIN algorithms a ON a.id = c.algorithm_id ORDER BY c.id");

        CollectionAssert.AreEqual(
            new[]
            {
                $"{(int)KeyCurve.P256}:p-256/ecdsa",
                $"{(int)KeyCurve.P384}:p-384/ecdsa",
                $"{(int)KeyCurve.P521}:p-521/ecdsa",
                $"{(int)KeyCurve.Secp256k1}:secp256k1/ecdsa",
                $"{(int)KeyCurve.Ed25519}:ed25519/eddsa",
            },
            rows);
    }

    [TestMethod]
    public async Task MigrateAsync_CreatesTheQueryIndexes()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync(s_directory, "indexes.db");

        var indexes = await RowsAsync(database, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name");
        var ring = indexes.Single(i => i.StartsWith("ux_public_keys_tenant_id_ring_name_ring_version:", StringComparison.Ordinal));

        StringAssert.Contains(ring, "UNIQUE");
        StringAssert.Contains(ring, "WHERE ring_name IS NOT NULL");
        Assert.IsTrue(indexes.Any(i => i.StartsWith("ux_batch_verification_items_batch_id_item_index:CREATE UNIQUE", StringComparison.Ordinal)));
        Assert.IsTrue(indexes.Any(i => i.StartsWith("ix_verification_records_tenant_id_verified_at:", StringComparison.Ordinal)));
        Assert.IsTrue(indexes.Any(i => i.StartsWith("ix_private_keys_master_key_id:", StringComparison.Ordinal)));
        Assert.IsTrue(indexes.Any(i => i.StartsWith("ix_public_keys_tenant_id_status_id:", StringComparison.Ordinal)));
    }

    private static async Task<List<string>> TablesAsync(SqliteTestDatabase database)
        => (await RowsAsync(database, "SELECT name, type FROM sqlite_master WHERE type = 'table' ORDER BY name")).ConvertAll(r => r.Split(':')[0]);

    private static Task<List<string>> RowsAsync(SqliteTestDatabase database, string sql)
        => database.WithConnectionAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add($"{reader.GetValue(0)}:{reader.GetValue(1)}");
            }

            return rows;
        });
}
