namespace KeyInfra.Sqlite;

/// <summary>Names shared by the SQLite provider's registrations.</summary>
internal static class SqliteStorage
{
    /// <summary>The name <c>UseSqlite</c> selects (<see cref="KeyInfra.Storage.KeyInfraStorageSelection"/>).</summary>
    public const string ProviderName = "Sqlite";
}
