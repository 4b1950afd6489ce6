using KeyInfra.EntityFrameworkCore;
using KeyInfra.Sqlite.KeyChanges;
using KeyInfra.Sqlite.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Sqlite;

/// <summary>Configures <see cref="KeyInfraDbContext"/> for SQLite, at run time and at design time alike.</summary>
internal static class SqliteDbContextOptions
{
    /// <summary>KeyInfra's own migrations history table, so it can share a database with a host's EF migrations.</summary>
    public const string MigrationsHistoryTable = "__keyinfra_migrations";

    // Stateless, so one serves every context.
    private static readonly SqliteCommandInterceptor s_commandInterceptor = new();

    public static void Configure(DbContextOptionsBuilder options, SqliteDatabaseLocation location, SqliteStorageOptions storageOptions, ILogger? logger = null)
    {
        options
            .UseSqlite(location.ConnectionString, sqlite => sqlite
                .MigrationsAssembly(typeof(SqliteDbContextOptions).Assembly.GetName().Name)
                .MigrationsHistoryTable(MigrationsHistoryTable))
            .ReplaceService<IModelCustomizer, SqliteModelCustomizer>()
            .AddInterceptors(new SqliteConnectionInterceptor(location, storageOptions, logger), s_commandInterceptor);
    }
}
