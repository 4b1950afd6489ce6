using KeyInfra.EntityFrameworkCore;
using KeyInfra.PostgreSql.Connection;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>
/// Applies KeyInfra's PostgreSQL migrations through <see cref="PostgreSqlStorageOptions.MigrationConnectionString"/> (the
/// tables' owner) when it is set, otherwise through the main connection. The migration connection is opened only here,
/// for the one operation, and closed after it.
/// </summary>
internal sealed class PostgreSqlMigrator(
    IDbContextFactory<KeyInfraDbContext> contextFactory,
    IOptions<PostgreSqlStorageOptions> options,
    ILoggerFactory loggerFactory) : IKeyInfraMigrator
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<PostgreSqlMigrator>();

    public async Task MigrateAsync(string? targetMigration = null, CancellationToken cancellationToken = default)
    {
        await using var lease = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await lease.Context.GetService<IMigrator>().MigrateAsync(targetMigration, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var lease = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var database = lease.Context.Database;
        var applied = (await database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        var appliedSet = applied.ToHashSet(StringComparer.Ordinal);
        return new MigrationStatus(applied, database.GetMigrations().Where(m => !appliedSet.Contains(m)).ToList());
    }

    private async Task<ContextLease> OpenAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.MigrationConnectionString is not { } connectionString)
        {
            return new ContextLease(await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false), null);
        }

        Log.MigratingThroughMigrationConnection(_logger);
        var parsed = PostgreSqlConnectionSettings.Parse(connectionString, settings, nameof(PostgreSqlStorageOptions.MigrationConnectionString));
        var builder = new NpgsqlDataSourceBuilder(parsed.ConnectionString);
        builder.UseLoggerFactory(loggerFactory);
        var dataSource = builder.Build();
        var contextOptions = new DbContextOptionsBuilder<KeyInfraDbContext>();
        PostgreSqlDbContextOptions.Configure(contextOptions, dataSource, () => null);
        return new ContextLease(new KeyInfraDbContext(contextOptions.Options), dataSource);
    }

    private sealed class ContextLease(KeyInfraDbContext context, NpgsqlDataSource? dataSource) : IAsyncDisposable
    {
        public KeyInfraDbContext Context { get; } = context;

        public async ValueTask DisposeAsync()
        {
            await Context.DisposeAsync().ConfigureAwait(false);
            if (dataSource is not null)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
