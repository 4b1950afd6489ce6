using KeyInfra.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sqlite.Tests.Model;

[TestClass]
public sealed class KeyInfraModelBuilderExtensionsTests
{
    [TestMethod]
    public async Task ApplyKeyInfraModel_HostContext_MapsEveryKeyInfraTableWithTheSameColumns()
    {
        var directory = SqliteTestDatabase.NewDirectory(nameof(KeyInfraModelBuilderExtensionsTests));
        Directory.CreateDirectory(directory);
        try
        {
            var services = new ServiceCollection();
            services.AddKeyInfrastructure().UseSqlite($"Data Source={Path.Combine(directory, "keyinfra.db")}");
            await using var provider = services.BuildServiceProvider();
            await using var keyInfra = await provider.GetRequiredService<IDbContextFactory<KeyInfraDbContext>>().CreateDbContextAsync();
            var options = new DbContextOptionsBuilder<HostContext>().UseSqlite($"Data Source={Path.Combine(directory, "host.db")}").Options;
            await using var host = new HostContext(options);

            var expected = Tables(keyInfra.Model);
            var actual = Tables(host.Model);

            Assert.IsGreaterThanOrEqualTo(8, expected.Count);
            // key_changes is SQLite's own (it carries key changes to other processes, with its triggers, in KeyInfra's
            // migrations); the shared model a host maps holds the tables of every provider.
            foreach (var (table, columns) in expected.Where(t => t.Key != "key_changes"))
            {
                Assert.IsTrue(actual.TryGetValue(table, out var hostColumns), $"The host model lacks {table}.");
                CollectionAssert.AreEquivalent(columns, hostColumns, table);
            }

            Assert.IsTrue(actual.ContainsKey("host_orders"));
            Assert.IsTrue(await host.Database.EnsureCreatedAsync());
        }
        finally
        {
            SqliteTestDatabase.DeleteDirectory(directory);
        }
    }

    private static Dictionary<string, List<string>> Tables(IModel model)
        => model.GetEntityTypes().ToDictionary(
            t => t.GetTableName()!,
            t => t.GetProperties().Select(p => p.GetColumnName()).Order(StringComparer.Ordinal).ToList());

    private sealed class HostContext(DbContextOptions<HostContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.ApplyKeyInfraModel();
            modelBuilder.Entity<HostOrder>().ToTable("host_orders");
        }
    }

    private sealed class HostOrder
    {
        public int Id { get; set; }

        public string Reference { get; set; } = "";
    }
}
