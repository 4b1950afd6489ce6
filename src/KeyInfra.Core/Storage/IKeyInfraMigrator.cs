namespace KeyInfra.Storage;

/// <summary>Applies and reverts the storage provider's schema migrations.</summary>
public interface IKeyInfraMigrator
{
    /// <summary>
    /// Migrates up to the newest migration, or up or down to <paramref name="targetMigration"/>
    /// (a migration name or id; <c>"0"</c> reverts everything).
    /// </summary>
    Task MigrateAsync(string? targetMigration = null, CancellationToken cancellationToken = default);

    /// <summary>Which migrations are applied and which are pending.</summary>
    Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
