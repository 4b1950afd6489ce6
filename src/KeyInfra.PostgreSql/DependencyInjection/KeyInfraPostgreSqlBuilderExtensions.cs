using KeyInfra.EntityFrameworkCore;
using KeyInfra.PostgreSql;
using KeyInfra.PostgreSql.Connection;
using KeyInfra.PostgreSql.Notifications;
using KeyInfra.PostgreSql.Partitions;
using KeyInfra.PostgreSql.Storage;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores KeyInfra's data in PostgreSQL.</summary>
public static class KeyInfraPostgreSqlBuilderExtensions
{
    /// <summary>
    /// Stores keys, master key checks and the verification log in PostgreSQL, through EF Core and Npgsql: TLS with
    /// the server verified by default, row-level security per tenant, a binary COPY log writer, monthly partitions
    /// of the log kept ahead by a hosted service, and a hosted listener that drops keys changed by other instances
    /// from this process's caches.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddKeyInfrastructure</c>.</param>
    /// <param name="connectionString">An Npgsql connection string, such as <c>Host=db;Database=keyinfra;Username=keyinfra_app;Password=…</c>. Never logged.</param>
    /// <param name="configure">Sets <see cref="PostgreSqlStorageOptions"/>; runs once, now.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">The connection string is empty, malformed or names no host; it asks for SSL Mode Allow or Prefer; or the options contradict each other.</exception>
    /// <remarks>
    /// Calling a <c>Use…</c> storage method again replaces this store: the last call wins. The database and its two
    /// roles (an owner that migrates, an application role without BYPASSRLS) are set up as docs/postgresql.md shows.
    /// </remarks>
    public static IKeyInfrastructureBuilder UsePostgreSql(this IKeyInfrastructureBuilder builder, string connectionString, Action<PostgreSqlStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new PostgreSqlStorageOptions();
        configure?.Invoke(options);
        options.Validate();
        var storageOptions = options.Clone();
        var connection = PostgreSqlConnectionSettings.Parse(connectionString, storageOptions, nameof(connectionString));

        KeyInfraEntityFrameworkCoreRegistration.AddKeyInfraEntityFrameworkCore(
            builder,
            (provider, dbContextOptions) => PostgreSqlDbContextOptions.Configure(
                dbContextOptions,
                provider.GetRequiredService<PostgreSqlDataSource>().DataSource,
                () => provider.GetService<ITenantContext>()));

        var services = builder.Services;
        services.RemoveAll<PostgreSqlStorage>();
        services.AddSingleton(new PostgreSqlStorage(connection, storageOptions));
        services.RemoveAll<PostgreSqlDataSource>();
        services.AddSingleton(provider => new PostgreSqlDataSource(
            provider.GetRequiredService<PostgreSqlStorage>().Connection,
            provider.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<VerificationPartitionMaintainer>();

        services.RemoveAll<IKeyRepository>();
        services.AddSingleton<IKeyRepository, PostgreSqlKeyRepository>();
        services.RemoveAll<KeyInfraStorageSelection>();
        services.AddSingleton(new KeyInfraStorageSelection(PostgreSqlStorage.ProviderName));
        services.RemoveAll<IVerificationLogRepository>();
        services.AddSingleton<IVerificationLogRepository, PostgreSqlVerificationLogRepository>();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PartitionMaintenanceService>());
        services.RemoveAll<KeyChangeListener>();
        if (storageOptions.ListenForKeyChanges)
        {
            services.AddSingleton<KeyChangeListener>();
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KeyChangeListenerHost>());
        return builder;
    }
}
