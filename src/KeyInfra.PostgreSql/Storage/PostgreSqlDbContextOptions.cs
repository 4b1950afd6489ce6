using KeyInfra.EntityFrameworkCore;
using KeyInfra.PostgreSql.Tenancy;
using KeyInfra.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>Configures <see cref="KeyInfraDbContext"/> for PostgreSQL, at run time and at design time alike.</summary>
internal static class PostgreSqlDbContextOptions
{
    /// <summary>KeyInfra's own migrations history table, so it can share a database with a host's EF migrations.</summary>
    public const string MigrationsHistoryTable = "__keyinfra_migrations";

    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource, Func<ITenantContext?> tenantContext)
    {
        options
            .UseNpgsql(dataSource, npgsql => npgsql
                .MigrationsAssembly(typeof(PostgreSqlDbContextOptions).Assembly.GetName().Name)
                .MigrationsHistoryTable(MigrationsHistoryTable))
            .ReplaceService<IModelCustomizer, PostgreSqlModelCustomizer>()
            .AddInterceptors(new TenantConnectionInterceptor(tenantContext));
    }
}
