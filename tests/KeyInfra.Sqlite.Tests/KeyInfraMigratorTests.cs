namespace KeyInfra.Sqlite.Tests;

/// <summary>What the SQLite migrations create beyond the provider-neutral contract (see <see cref="SqliteMigratorTests"/>).</summary>
[TestClass]
public sealed class KeyInfraMigratorTests
{
    private static string s_directory = "";

    [ClassInitialize]
    public static void ClassInitialize(TestContext context) => s_directory = SqliteTestDatabase.NewDirectory(nameof(KeyInfraMigratorTests));

    [ClassCleanup]
    public static void ClassCleanup() => SqliteTestDatabase.DeleteDirectory(s_directory);

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
