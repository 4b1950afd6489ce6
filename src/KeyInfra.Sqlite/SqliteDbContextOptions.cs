using KeyInfra.EntityFrameworkCore;
using KeyInfra.Sqlite.KeyChanges;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace KeyInfra.Sqlite;

/// <summary>Configures <see cref="KeyInfraDbContext"/> for SQLite, at run time and at design time alike.</summary>
internal static class SqliteDbContextOptions
{
    /// <summary>KeyInfra's own migrations history table, so it can share a database with a host's EF migrations.</summary>
    public const string MigrationsHistoryTable = "__keyinfra_migrations";

    public static void Configure(DbContextOptionsBuilder options, SqliteDatabaseLocation location, SqliteStorageOptions storageOptions)
    {
        options
            .UseSqlite(location.ConnectionString, sqlite => sqlite
                .MigrationsAssembly(typeof(SqliteDbContextOptions).Assembly.GetName().Name)
                .MigrationsHistoryTable(MigrationsHistoryTable))
            .ReplaceService<IModelCustomizer, SqliteModelCustomizer>()
            .AddInterceptors(new SqliteConnectionInterceptor(location, storageOptions));
    }
}
