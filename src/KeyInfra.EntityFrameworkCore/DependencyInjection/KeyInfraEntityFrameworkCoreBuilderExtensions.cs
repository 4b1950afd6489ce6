using KeyInfra.EntityFrameworkCore;
using KeyInfra.EntityFrameworkCore.Storage;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores KeyInfra's data through EF Core: the seam the storage provider packages are built on.</summary>
public static class KeyInfraEntityFrameworkCoreBuilderExtensions
{
    /// <summary>
    /// Registers a pooled <see cref="IDbContextFactory{TContext}"/> of <see cref="KeyInfraDbContext"/> configured by
    /// <paramref name="configureDbContext"/>, and the EF Core repositories (<see cref="EfKeyRepository"/>,
    /// <see cref="EfVerificationLogRepository"/>, <see cref="EfHsmRepository"/>, <see cref="EfIdentityRepository"/>, the master key checks) and migrator as
    /// singletons.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <c>UseSqlite</c> and <c>UsePostgreSql</c> call this with their provider, their migrations assembly and their
    /// tuning; call it yourself only to run KeyInfra on another relational EF Core provider, with migrations of your
    /// own (<c>MigrationsAssembly</c>) and that provider's tests.
    /// </para>
    /// <para>
    /// Safe to call more than once: the last call's configuration and services win, so a second <c>Use…</c> replaces
    /// the first store rather than mixing with it. EF Core's command log goes to Debug: at Information it would write a
    /// line per verification into the host's log.
    /// </para>
    /// </remarks>
    /// <param name="builder">The builder returned by <c>AddKeyInfrastructure</c>.</param>
    /// <param name="configureDbContext">Configures the context: the EF Core provider, its connection and its migrations.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IKeyInfrastructureBuilder UseEntityFrameworkCore(this IKeyInfrastructureBuilder builder, Action<IServiceProvider, DbContextOptionsBuilder> configureDbContext)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configureDbContext);
        var services = builder.Services;

        var firstCall = !services.Any(d => d.ServiceType == typeof(KeyInfraDbContextConfigurer));
        services.RemoveAll<KeyInfraDbContextConfigurer>();
        services.AddSingleton(new KeyInfraDbContextConfigurer(configureDbContext));
        if (firstCall)
        {
            // The factory reads the configurer when it first builds its options, so only the last one counts.
            services.AddPooledDbContextFactory<KeyInfraDbContext>((provider, options) =>
            {
                provider.GetRequiredService<KeyInfraDbContextConfigurer>().Configure(provider, options);

                // EF logs every command at Information; on the hot path that is one line per verification
                // in the host's log. KeyInfra's commands go to Debug, where they can still be switched on.
                // EF's own failure events go to Debug too: a ring version another writer took first fails one insert
                // that KeyInfra retries, and must not page an operator. CommandFailureInterceptor logs every failure
                // KeyInfra does not handle at Error instead.
                options.ConfigureWarnings(warnings => warnings.Log(
                    (RelationalEventId.CommandExecuted, LogLevel.Debug),
                    (RelationalEventId.CommandError, LogLevel.Debug),
                    (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
                options.AddInterceptors(new CommandFailureInterceptor(provider.GetRequiredService<ILogger<CommandFailureInterceptor>>()));
            });
        }

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        Replace<IKeyRepository, EfKeyRepository>(services);
        Replace<IMasterKeyRepository, EfMasterKeyRepository>(services);
        Replace<IVerificationLogRepository, EfVerificationLogRepository>(services);
        Replace<IHsmRepository, EfHsmRepository>(services);
        Replace<IIdentityRepository, EfIdentityRepository>(services);
        Replace<ICertificateRepository, EfCertificateRepository>(services);
        Replace<IKeyInfraMigrator, EfKeyInfraMigrator>(services);
        return builder;
    }

    private static void Replace<TService, TImplementation>(IServiceCollection services)
        where TService : class
        where TImplementation : class, TService
    {
        services.RemoveAll<TService>();
        services.AddSingleton<TService, TImplementation>();
    }
}
