using KeyInfra.Sqlite;
using KeyInfra.Sqlite.KeyChanges;
using KeyInfra.Sqlite.Storage;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores KeyInfra's data in SQLite.</summary>
public static class KeyInfraSqliteBuilderExtensions
{
    /// <summary>
    /// Stores keys, master key checks and the verification log in a SQLite database file, through EF Core.
    /// Every connection runs in WAL mode with foreign keys on; <see cref="SqliteStorageOptions"/> tunes the rest. A hosted
    /// service watches the file for key changes made by other processes (another host, the admin CLI) and drops those
    /// keys from this process's caches within about a second (<see cref="SqliteStorageOptions.DetectKeyChanges"/>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddKeyInfrastructure</c>.</param>
    /// <param name="connectionString">A SQLite connection string naming a file, such as <c>Data Source=keyinfra.db</c>. The file's folder is created when the first connection opens.</param>
    /// <param name="configure">
    /// Sets <see cref="SqliteStorageOptions"/>. It runs when the options are first needed (at the latest when the host
    /// starts), after the <c>KeyInfra:Sqlite</c> configuration section is bound, so code wins over configuration.
    /// </param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">The connection string is empty, malformed, names no file, or names an in-memory database.</exception>
    /// <remarks>Calling a <c>Use…</c> storage method again replaces this store: the last call wins (it also replaces the <see cref="KeyInfraStorageSelection"/>, so another provider's hosted services stop).</remarks>
    public static IKeyInfrastructureBuilder UseSqlite(this IKeyInfrastructureBuilder builder, string connectionString, Action<SqliteStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var location = SqliteDatabaseLocation.Parse(connectionString, nameof(connectionString));

        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<SqliteStorageOptions>, ConfigureSqliteStorageOptionsFromConfiguration>());
        var options = services.AddOptions<SqliteStorageOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.UseEntityFrameworkCore(
            (provider, dbContextOptions) => SqliteDbContextOptions.Configure(
                dbContextOptions, location, provider.GetRequiredService<IOptions<SqliteStorageOptions>>().Value, provider.GetRequiredService<ILogger<SqliteConnectionInterceptor>>()));

        // Migrations hold a lock file beside the database (SqliteKeyInfraMigrator); it replaces the EF migrator.
        services.RemoveAll<IKeyInfraMigrator>();
        services.AddSingleton<IKeyInfraMigrator>(provider => ActivatorUtilities.CreateInstance<SqliteKeyInfraMigrator>(
            provider, location, provider.GetRequiredService<IOptions<SqliteStorageOptions>>().Value));
        builder.Services.RemoveAll<KeyInfraStorageSelection>();
        builder.Services.AddSingleton(new KeyInfraStorageSelection(SqliteStorage.ProviderName));

        // The detector is registered always and decides at start, from the options, whether to watch.
        services.RemoveAll<SqliteDatabaseLocation>();
        services.AddSingleton(location);
        services.TryAddSingleton<KeyChangeDetector>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KeyChangeDetectorHost>());
        return builder;
    }
}
