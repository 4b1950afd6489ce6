using System.Data.Common;
using KeyInfra.EntityFrameworkCore;
using KeyInfra.Sqlite;
using KeyInfra.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sqlite.Tests;

/// <summary>A real SQLite file in a temp folder, with KeyInfra registered through DI as a host would.</summary>
internal sealed class SqliteTestDatabase : IAsyncDisposable
{
    public SqliteTestDatabase(string directory, string fileName = "keyinfra.db", Action<SqliteStorageOptions>? configure = null)
    {
        FilePath = Path.Combine(directory, fileName);
        ConnectionString = $"Data Source={FilePath}";
        Configure = configure;
        Services = BuildServices();
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public ServiceProvider Services { get; private set; }

    public IKeyRepository Keys => Services.GetRequiredService<IKeyRepository>();

    public IMasterKeyRepository MasterKeys => Services.GetRequiredService<IMasterKeyRepository>();

    public IVerificationLogRepository Log => Services.GetRequiredService<IVerificationLogRepository>();

    public IKeyInfraMigrator Migrator => Services.GetRequiredService<IKeyInfraMigrator>();

    private Action<SqliteStorageOptions>? Configure { get; }

    public static string NewDirectory(string testClass)
        => Path.Combine(Path.GetTempPath(), "keyinfra-sqlite-tests", $"{testClass}-{Guid.NewGuid():N}");

    public static async Task<SqliteTestDatabase> CreateMigratedAsync(string directory, string fileName = "keyinfra.db")
    {
        var database = new SqliteTestDatabase(directory, fileName);
        await database.Migrator.MigrateAsync();
        return database;
    }

    public static void DeleteDirectory(string directory)
    {
        // Pooled connections keep the files open.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Disposes the service provider and builds a new one on the same file (a host restart).</summary>
    public async Task RestartAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Services = BuildServices();
    }

    /// <summary>Runs SQL on a connection opened the way KeyInfra opens its own (interceptor included).</summary>
    public async Task<T> WithConnectionAsync<T>(Func<DbConnection, Task<T>> action)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<KeyInfraDbContext>>();
        await using var context = await factory.CreateDbContextAsync();
        await context.Database.OpenConnectionAsync();
        try
        {
            return await action(context.Database.GetDbConnection());
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    public Task<object?> ScalarAsync(string sql)
        => WithConnectionAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync();
        });

    public async Task<long> CountAsync(string sql) => Convert.ToInt64(await ScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();

    private ServiceProvider BuildServices()
    {
        var services = new ServiceCollection();
        services.AddKeyInfrastructure().UseSqlite(ConnectionString, Configure);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }
}
