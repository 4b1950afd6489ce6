using KeyInfra.PostgreSql;
using KeyInfra.PostgreSql.Connection;
using KeyInfra.PostgreSql.Notifications;
using KeyInfra.PostgreSql.Partitions;
using KeyInfra.PostgreSql.Storage;
using KeyInfra.PostgreSql.Tenancy;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

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
    /// <param name="configure">
    /// Sets <see cref="PostgreSqlStorageOptions"/>. It runs when the options are first needed (at the latest when the
    /// host starts), after the <c>KeyInfra:PostgreSql</c> configuration section is bound, so code wins over configuration.
    /// </param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">The connection string is empty, malformed or names no host, asks for SSL Mode Allow or Prefer, or turns on multiplexing.</exception>
    /// <remarks>
    /// Calling a <c>Use…</c> storage method again replaces this store: the last call wins. Settings that contradict each
    /// other (a minimum pool above the maximum, a root certificate file that does not exist) fail the host's start with
    /// an <see cref="OptionsValidationException"/>. The database and its two roles (an owner that migrates, through
    /// <see cref="PostgreSqlStorageOptions.MigrationConnectionString"/>, and an application role without BYPASSRLS, which
    /// this connection string names) are set up as docs/postgresql.md shows. The host refuses to start (KI4601) when this
    /// connection's role owns the tables, is a superuser or has BYPASSRLS, unless
    /// <see cref="PostgreSqlStorageOptions.UnsafeAllowRowLevelSecurityBypass"/> is set.
    /// </remarks>
    public static IKeyInfrastructureBuilder UsePostgreSql(this IKeyInfrastructureBuilder builder, string connectionString, Action<PostgreSqlStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The form of the string is checked now, so a typo fails where it was made; the options are applied at start.
        PostgreSqlConnectionSettings.Parse(connectionString, new PostgreSqlStorageOptions(), nameof(connectionString));
        return UsePostgreSql(builder, PostgreSqlConnectionSource.FromConnectionString(connectionString), configure);
    }

    /// <summary>
    /// Stores KeyInfra's data in PostgreSQL through a data source the host built and owns, for example one registered
    /// with Npgsql's <c>AddNpgsqlDataSource</c>: <c>UsePostgreSql(provider => provider.GetRequiredService&lt;NpgsqlDataSource&gt;())</c>.
    /// Everything else is as in <see cref="UsePostgreSql(IKeyInfrastructureBuilder, string, Action{PostgreSqlStorageOptions}?)"/>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddKeyInfrastructure</c>.</param>
    /// <param name="dataSource">Returns the host's data source; called once, when KeyInfra first needs a connection.</param>
    /// <param name="configure">Sets <see cref="PostgreSqlStorageOptions"/> (its connection settings do not apply to a host's data source).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// KeyInfra does not dispose the host's data source. It refuses, when it first uses it, a data source whose SSL mode
    /// can fall back to plain text (Allow, Prefer) or that multiplexes connections (error KI4003), and logs a warning
    /// for any mode weaker than VerifyFull. Every connection KeyInfra takes from it gets the tenant setting row-level
    /// security needs; a host that shares the data source with its own code should not rely on that setting.
    /// </remarks>
    public static IKeyInfrastructureBuilder UsePostgreSql(this IKeyInfrastructureBuilder builder, Func<IServiceProvider, NpgsqlDataSource> dataSource, Action<PostgreSqlStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return UsePostgreSql(builder, PostgreSqlConnectionSource.FromHost(dataSource), configure);
    }

    private static IKeyInfrastructureBuilder UsePostgreSql(IKeyInfrastructureBuilder builder, PostgreSqlConnectionSource source, Action<PostgreSqlStorageOptions>? configure)
    {
        builder.UseEntityFrameworkCore(
            (provider, dbContextOptions) => PostgreSqlDbContextOptions.Configure(
                dbContextOptions,
                provider.GetRequiredService<PostgreSqlDataSource>().DataSource,
                () => provider.GetService<ITenantContext>()));

        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<PostgreSqlStorageOptions>, ConfigurePostgreSqlStorageOptionsFromConfiguration>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStorageOptions>, PostgreSqlStorageOptionsValidator>());
        var options = services.AddOptions<PostgreSqlStorageOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.RemoveAll<PostgreSqlConnectionSource>();
        services.AddSingleton(source);
        services.TryAddSingleton<PostgreSqlStorage>();
        services.TryAddSingleton<PostgreSqlDataSource>();
        services.TryAddSingleton<VerificationPartitionMaintainer>();

        services.RemoveAll<IKeyRepository>();
        services.AddSingleton<IKeyRepository, PostgreSqlKeyRepository>();
        services.RemoveAll<KeyInfraStorageSelection>();
        services.AddSingleton(new KeyInfraStorageSelection(PostgreSqlStorage.ProviderName));
        services.RemoveAll<IVerificationLogRepository>();
        services.AddSingleton<IVerificationLogRepository, PostgreSqlVerificationLogRepository>();
        services.RemoveAll<IHsmRepository>();
        services.AddSingleton<IHsmRepository, PostgreSqlHsmRepository>();
        services.RemoveAll<ICertificateRepository>();
        services.AddSingleton<ICertificateRepository, PostgreSqlCertificateRepository>();
        services.RemoveAll<IIdentityRepository>();
        services.AddSingleton<IIdentityRepository, PostgreSqlIdentityRepository>();
        services.RemoveAll<IKeyInfraMigrator>();
        services.AddSingleton<IKeyInfraMigrator, PostgreSqlMigrator>();

        // First of all hosted services, before KeyInfra's own (migrations, the master key check): a role row-level
        // security does not hold for starts nothing and reads nothing.
        if (!services.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(RowLevelSecurityGuard)))
        {
            var first = services.IndexOf(services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService))!);
            services.Insert(first < 0 ? services.Count : first, ServiceDescriptor.Singleton<IHostedService, RowLevelSecurityGuard>());
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PartitionMaintenanceService>());

        // The listener is registered always and decides at start, from the options, whether to listen: the options
        // may come from configuration, which is not known yet.
        services.TryAddSingleton<KeyChangeListener>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KeyChangeListenerHost>());
        return builder;
    }
}
