using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>The EF Core <see cref="IKeyInfraMigrator"/>: applies the provider assembly's migrations.</summary>
internal sealed class EfKeyInfraMigrator(IDbContextFactory<KeyInfraDbContext> contextFactory, ILogger<EfKeyInfraMigrator> logger) : IKeyInfraMigrator
{
    public async Task MigrateAsync(string? targetMigration = null, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var before = (await context.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).LastOrDefault();
        Log.Migrating(logger, before ?? "0", targetMigration ?? "latest");

        await context.GetService<IMigrator>().MigrateAsync(targetMigration, cancellationToken).ConfigureAwait(false);

        var after = (await context.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).LastOrDefault();
        Log.Migrated(logger, after ?? "0");
    }

    public async Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var applied = (await context.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        var appliedSet = applied.ToHashSet(StringComparer.Ordinal);
        var pending = context.Database.GetMigrations().Where(m => !appliedSet.Contains(m)).ToList();
        return new MigrationStatus(applied, pending);
    }
}
