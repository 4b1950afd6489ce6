using KeyInfra.EntityFrameworkCore;
using KeyInfra.Sqlite;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores KeyInfra's data in SQLite.</summary>
public static class KeyInfraSqliteBuilderExtensions
{
    // The name UseSqlite selects (KeyInfraStorageSelection).
    private const string ProviderName = "Sqlite";

    /// <summary>
    /// Stores keys, master key checks and the verification log in a SQLite database file, through EF Core.
    /// Every connection runs in WAL mode with foreign keys on; <paramref name="configure"/> tunes the rest.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddKeyInfrastructure</c>.</param>
    /// <param name="connectionString">A SQLite connection string naming a file, such as <c>Data Source=keyinfra.db</c>. The file's folder is created when the first connection opens.</param>
    /// <param name="configure">Sets <see cref="SqliteStorageOptions"/>; runs once, now.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">The connection string is empty, malformed, names no file, or names an in-memory database.</exception>
    /// <remarks>Calling a <c>Use…</c> storage method again replaces this store: the last call wins (it also replaces the <see cref="KeyInfraStorageSelection"/>, so another provider's hosted services stop).</remarks>
    public static IKeyInfrastructureBuilder UseSqlite(this IKeyInfrastructureBuilder builder, string connectionString, Action<SqliteStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var location = SqliteDatabaseLocation.Parse(connectionString, nameof(connectionString));

        var options = new SqliteStorageOptions();
        configure?.Invoke(options);
        var storageOptions = options.Clone();

        KeyInfraEntityFrameworkCoreRegistration.AddKeyInfraEntityFrameworkCore(
            builder,
            (_, dbContextOptions) => SqliteDbContextOptions.Configure(dbContextOptions, location, storageOptions));
        builder.Services.RemoveAll<KeyInfraStorageSelection>();
        builder.Services.AddSingleton(new KeyInfraStorageSelection(ProviderName));
        return builder;
    }
}
