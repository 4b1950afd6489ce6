using KeyInfra.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sqlite.Tests;

/// <summary>
/// The HsmSlots migration on SQLite rebuilds <c>private_keys</c> itself (for its tenant-tied slot foreign key), so that
/// the key change triggers can be made again after the rebuild: the rebuilt table must be the one EF Core's model
/// describes, and the triggers must be there and work, after migrating up and after migrating down again.
/// </summary>
[TestClass]
public sealed class SqliteHsmSlotsMigrationTests
{
    private static string s_directory = "";

    [ClassInitialize]
    public static void ClassInitialize(TestContext context) => s_directory = SqliteTestDatabase.NewDirectory(nameof(SqliteHsmSlotsMigrationTests));

    [ClassCleanup]
    public static void ClassCleanup() => SqliteTestDatabase.DeleteDirectory(s_directory);

    [TestMethod]
    public async Task Migrated_PrivateKeys_IsTheTableTheModelCreates()
    {
        await using var migrated = await SqliteTestDatabase.CreateMigratedAsync(s_directory, "migrated.db");
        await using var created = new SqliteTestDatabase(s_directory, "created.db");
        await using (var context = await created.Services.GetRequiredService<IDbContextFactory<KeyInfraDbContext>>().CreateDbContextAsync())
        {
            Assert.IsTrue(await context.Database.EnsureCreatedAsync());
        }

        var expected = await DescribeAsync(created, "private_keys");
        var actual = await DescribeAsync(migrated, "private_keys");

        CollectionAssert.AreEqual(expected, actual, string.Join(Environment.NewLine, actual));
        CollectionAssert.Contains(actual, "fk hsm_slots tenant_id->tenant_id RESTRICT");
        CollectionAssert.Contains(actual, "fk hsm_slots hsm_slot_id->id RESTRICT");
    }

    [TestMethod]
    public async Task Migrated_PrivateKeys_KeepsItsKeyChangeTriggersAndTheyFire()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync(s_directory, $"triggers-{Guid.NewGuid():N}.db");
        var key = TestData.Key(Guid.NewGuid());
        await database.Keys.AddAsync(key);

        await AssertKeyChangeTriggersWorkAsync(database, key.Id.Value);
    }

    [TestMethod]
    public async Task MigratedDownPastHsmSlots_PrivateKeys_LosesTheColumnAndKeepsItsTriggers()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync(s_directory, $"down-{Guid.NewGuid():N}.db");
        var key = TestData.Key(Guid.NewGuid());
        await database.Keys.AddAsync(key);
        var applied = (await database.Migrator.GetStatusAsync()).Applied.ToList();
        var beforeHsm = applied[applied.FindIndex(m => m.EndsWith("_HsmSlots", StringComparison.Ordinal)) - 1];

        await database.Migrator.MigrateAsync(beforeHsm);

        Assert.AreEqual(0L, await database.CountAsync("SELECT COUNT(*) FROM pragma_table_info('private_keys') WHERE name = 'hsm_slot_id'"));
        Assert.AreEqual(0L, await database.CountAsync("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('hsm_slots', 'hsm_modules')"));
        Assert.AreEqual(1L, await database.CountAsync("SELECT COUNT(*) FROM pragma_foreign_key_list('private_keys') WHERE \"table\" = 'public_keys' AND \"from\" = 'tenant_id'"));
        Assert.AreEqual(1L, await database.CountAsync($"SELECT COUNT(*) FROM private_keys WHERE key_id = '{Id(key.Id.Value)}'"), "The rebuild kept the private key.");
        await AssertKeyChangeTriggersWorkAsync(database, key.Id.Value);
    }

    // A private key's change alone (re-encryption) must number its key anew, so other processes drop the opened key.
    // Raw SQL: after migrating down, the current model no longer matches the table.
    private static async Task AssertKeyChangeTriggersWorkAsync(SqliteTestDatabase database, Guid keyId)
    {
        Assert.AreEqual(3L, await database.CountAsync("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'private_keys' AND name LIKE 'keyinfra_private_key_%'"));
        var before = await database.CountAsync($"SELECT sequence FROM key_changes WHERE key_id = '{Id(keyId)}'");

        await database.ScalarAsync($"UPDATE private_keys SET key_material = x'070707' WHERE key_id = '{Id(keyId)}'");
        var after = await database.CountAsync($"SELECT sequence FROM key_changes WHERE key_id = '{Id(keyId)}'");

        Assert.IsGreaterThan(before, after);
    }

    private static string Id(Guid id) => id.ToString().ToUpperInvariant();

    // Columns, foreign keys and indexes as SQLite reports them, in a fixed order.
    private static Task<List<string>> DescribeAsync(SqliteTestDatabase database, string table)
        => database.WithConnectionAsync(async connection =>
        {
            var lines = new List<string>();
            foreach (var sql in new[]
            {
                $"SELECT 'column ' || name || ' ' || type || ' ' || \"notnull\" || ' ' || COALESCE(dflt_value, '-') || ' ' || pk FROM pragma_table_info('{table}') ORDER BY name",
                $"SELECT 'fk ' || \"table\" || ' ' || \"from\" || '->' || \"to\" || ' ' || on_delete FROM pragma_foreign_key_list('{table}') ORDER BY \"table\", \"from\"",
                $"SELECT 'index ' || l.name || ' ' || l.\"unique\" || ' ' || (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno)) FROM pragma_index_list('{table}') l WHERE l.origin = 'c' ORDER BY l.name",
            })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    lines.Add(reader.GetString(0));
                }
            }

            return lines;
        });
}
