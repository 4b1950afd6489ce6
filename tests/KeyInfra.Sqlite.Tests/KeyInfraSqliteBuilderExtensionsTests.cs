using KeyInfra.EntityFrameworkCore;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyInfra.Sqlite.Tests;

[TestClass]
public sealed class KeyInfraSqliteBuilderExtensionsTests
{
    private static string s_directory = "";

    [ClassInitialize]
    public static void ClassInitialize(TestContext context) => s_directory = SqliteTestDatabase.NewDirectory(nameof(KeyInfraSqliteBuilderExtensionsTests));

    [ClassCleanup]
    public static void ClassCleanup() => SqliteTestDatabase.DeleteDirectory(s_directory);

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow("Data Source=")]
    [DataRow("Data Source=:memory:")]
    [DataRow("Data Source=keys;Mode=Memory")]
    [DataRow("Data Source=x.db;No Such Keyword=1")]
    public void UseSqlite_InvalidConnectionString_ThrowsArgumentException(string connectionString)
    {
        var builder = new ServiceCollection().AddKeyInfrastructure();

        var ex = Assert.ThrowsExactly<ArgumentException>(() => builder.UseSqlite(connectionString));

        Assert.AreEqual("connectionString", ex.ParamName);
        StringAssert.Contains(ex.Message, "Data Source=keyinfra.db");
    }

    [TestMethod]
    public void UseSqlite_NullConnectionString_ThrowsArgumentException()
    {
        var builder = new ServiceCollection().AddKeyInfrastructure();

        Assert.ThrowsExactly<ArgumentException>(() => builder.UseSqlite(null!));
    }

    [TestMethod]
    [DataRow(-1)]
    [DataRow(3_600_001)]
    public void BusyTimeout_OutOfRange_Throws(int milliseconds)
    {
        var options = new SqliteStorageOptions();

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.BusyTimeout = TimeSpan.FromMilliseconds(milliseconds));
        Assert.AreEqual(TimeSpan.FromSeconds(5), options.BusyTimeout);
    }

    [TestMethod]
    public void Synchronous_UndefinedValue_Throws()
    {
        var options = new SqliteStorageOptions();

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.Synchronous = (SqliteSynchronousMode)7);
        Assert.AreEqual(SqliteSynchronousMode.Full, options.Synchronous);
    }

    [TestMethod]
    public void UseSqlite_ConfigureThrows_ExceptionSurfacesWhenTheOptionsAreBuilt()
    {
        var services = new ServiceCollection();
        services.AddKeyInfrastructure().UseSqlite("Data Source=x.db", o => o.BusyTimeout = TimeSpan.FromDays(2));
        using var provider = services.BuildServiceProvider();

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => provider.GetRequiredService<IOptions<SqliteStorageOptions>>().Value);
    }

    [TestMethod]
    public async Task UseSqlite_ConfigurationSection_TunesTheConnectionsAndCodeWinsOverIt()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KeyInfra:Sqlite:BusyTimeout"] = "00:00:03",
            ["KeyInfra:Sqlite:Synchronous"] = "Normal",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddKeyInfrastructure().UseSqlite($"Data Source={Path.Combine(s_directory, "configured.db")}", o => o.BusyTimeout = TimeSpan.FromMilliseconds(1234));
        await using var provider = services.BuildServiceProvider();

        var factory = provider.GetRequiredService<IDbContextFactory<KeyInfraDbContext>>();
        await using var context = await factory.CreateDbContextAsync();
        await context.Database.OpenConnectionAsync();
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        var busyTimeout = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        command.CommandText = "PRAGMA synchronous";
        var synchronous = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.AreEqual(1234L, busyTimeout);
        Assert.AreEqual(1L, synchronous, "PRAGMA synchronous=NORMAL is 1.");
    }

    [TestMethod]
    public async Task UseSqlite_EveryStorageServiceResolvesWithScopeValidation()
    {
        var services = new ServiceCollection();
        services.AddKeyInfrastructure().UseSqlite($"Data Source={Path.Combine(s_directory, "resolve.db")}");
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        Assert.IsNotNull(provider.GetRequiredService<IKeyRepository>());
        Assert.IsNotNull(provider.GetRequiredService<IMasterKeyRepository>());
        Assert.IsNotNull(provider.GetRequiredService<IVerificationLogRepository>());
        Assert.IsNotNull(provider.GetRequiredService<IKeyInfraMigrator>());
        Assert.IsNotNull(provider.GetRequiredService<IDbContextFactory<KeyInfraDbContext>>());
        Assert.AreSame(provider.GetRequiredService<IKeyRepository>(), provider.GetRequiredService<IKeyRepository>());
    }

    [TestMethod]
    public void UseSqlite_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        var builder = services.AddKeyInfrastructure();

        builder.UseSqlite("Data Source=first.db").UseSqlite("Data Source=second.db");

        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IKeyRepository)));
        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IMasterKeyRepository)));
        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IVerificationLogRepository)));
        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IKeyInfraMigrator)));
        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IDbContextFactory<KeyInfraDbContext>)));
    }

    [TestMethod]
    public void UseSqlite_AfterAnotherStorageSelection_SelectsSqliteOnce()
    {
        var services = new ServiceCollection();
        var builder = services.AddKeyInfrastructure();
        services.AddSingleton(new KeyInfraStorageSelection("PostgreSql"));

        builder.UseSqlite("Data Source=first.db").UseSqlite("Data Source=second.db");
        using var provider = services.BuildServiceProvider();

        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(KeyInfraStorageSelection)));
        Assert.IsTrue(provider.GetRequiredService<KeyInfraStorageSelection>().Is("Sqlite"));
        Assert.IsFalse(provider.GetRequiredService<KeyInfraStorageSelection>().Is("PostgreSql"));
    }

    [TestMethod]
    public async Task UseSqlite_CalledTwice_LastDatabaseWins()
    {
        var first = Path.Combine(s_directory, "twice-first.db");
        var second = Path.Combine(s_directory, "twice-second.db");
        var services = new ServiceCollection();
        services.AddKeyInfrastructure().UseSqlite($"Data Source={first}").UseSqlite($"Data Source={second}", o => o.BusyTimeout = TimeSpan.FromMilliseconds(777));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IKeyInfraMigrator>().MigrateAsync();
        var factory = provider.GetRequiredService<IDbContextFactory<KeyInfraDbContext>>();
        await using var context = await factory.CreateDbContextAsync();
        await context.Database.OpenConnectionAsync();
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        var busyTimeout = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.IsTrue(File.Exists(second));
        Assert.IsFalse(File.Exists(first));
        Assert.AreEqual(777L, busyTimeout);
    }
}
