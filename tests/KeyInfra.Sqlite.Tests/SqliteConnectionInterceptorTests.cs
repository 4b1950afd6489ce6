using Microsoft.Data.Sqlite;

namespace KeyInfra.Sqlite.Tests;

[TestClass]
public sealed class SqliteConnectionInterceptorTests
{
    private static string s_directory = "";

    [ClassInitialize]
    public static void ClassInitialize(TestContext context) => s_directory = SqliteTestDatabase.NewDirectory(nameof(SqliteConnectionInterceptorTests));

    [ClassCleanup]
    public static void ClassCleanup() => SqliteTestDatabase.DeleteDirectory(s_directory);

    [TestMethod]
    public async Task ConnectionOpened_Defaults_SetsWalForeignKeysBusyTimeoutAndFullSync()
    {
        await using var database = new SqliteTestDatabase(s_directory, "defaults.db");

        var pragmas = await database.WithConnectionAsync(async connection => new[]
        {
            await PragmaAsync(connection, "journal_mode"),
            await PragmaAsync(connection, "foreign_keys"),
            await PragmaAsync(connection, "busy_timeout"),
            await PragmaAsync(connection, "synchronous"),
        });

        CollectionAssert.AreEqual(new[] { "wal", "1", "5000", "2" }, pragmas);
    }

    [TestMethod]
    public async Task ConnectionOpened_CustomOptions_AppliesThem()
    {
        await using var database = new SqliteTestDatabase(s_directory, "custom.db", o =>
        {
            o.BusyTimeout = TimeSpan.FromMilliseconds(1234);
            o.Synchronous = SqliteSynchronousMode.Normal;
        });

        var pragmas = await database.WithConnectionAsync(async connection => new[]
        {
            await PragmaAsync(connection, "busy_timeout"),
            await PragmaAsync(connection, "synchronous"),
        });

        CollectionAssert.AreEqual(new[] { "1234", "1" }, pragmas);
    }

    [TestMethod]
    public async Task ConnectionOpened_EveryOpen_ReappliesForeignKeys()
    {
        await using var database = new SqliteTestDatabase(s_directory, "reopen.db");
        await database.WithConnectionAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA foreign_keys=OFF";
            return await command.ExecuteNonQueryAsync();
        });

        var foreignKeys = await database.WithConnectionAsync(connection => PragmaAsync(connection, "foreign_keys"));

        Assert.AreEqual("1", foreignKeys);
    }

    [TestMethod]
    public async Task ForeignKeys_PrivateKeyForMissingKey_IsRejectedByTheDatabase()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync(s_directory, "fk.db");

        var ex = await Assert.ThrowsExactlyAsync<SqliteException>(() => database.ScalarAsync(
            "INSERT INTO private_keys (key_id, tenant_id, protection, key_material, created_at, updated_at) " +
            "VALUES ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000000', 'none', x'00', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"));

        StringAssert.Contains(ex.Message, "FOREIGN KEY");
    }

    [TestMethod]
    public async Task ConnectionOpening_MissingDirectory_CreatesIt()
    {
        var nested = Path.Combine(s_directory, "a", "b", "c");
        Assert.IsFalse(Directory.Exists(nested));
        await using var database = new SqliteTestDatabase(nested, "nested.db");

        await database.Migrator.MigrateAsync();

        Assert.IsTrue(File.Exists(database.FilePath));
    }

    private static async Task<string> PragmaAsync(System.Data.Common.DbConnection connection, string pragma)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
