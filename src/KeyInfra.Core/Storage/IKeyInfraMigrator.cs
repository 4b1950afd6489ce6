namespace KeyInfra.Storage;

/// <summary>Applies and reverts the storage provider's schema migrations.</summary>
/// <remarks>
/// Every provider keeps this contract (the storage conformance suite tests it): an empty database has every
/// migration pending; migrating to the newest is a no-op when the schema is current; reverting to <c>"0"</c> drops
/// all KeyInfra's tables and migrating up again recreates them. A provider's migration classes are not public API.
/// </remarks>
public interface IKeyInfraMigrator
{
    /// <summary>
    /// Migrates up to the newest migration, or up or down to <paramref name="targetMigration"/>
    /// (a migration name or id; <c>"0"</c> reverts everything).
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="targetMigration"/> names no migration of the provider.</exception>
    Task MigrateAsync(string? targetMigration = null, CancellationToken cancellationToken = default);

    /// <summary>Which migrations are applied and which are pending, each oldest first.</summary>
    Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
