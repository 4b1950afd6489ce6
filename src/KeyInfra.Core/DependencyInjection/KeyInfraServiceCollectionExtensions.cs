using KeyInfra;
using KeyInfra.Tenancy;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers KeyInfra in a service collection.</summary>
public static class KeyInfraServiceCollectionExtensions
{
    /// <summary>
    /// Adds KeyInfra's services: the key store, signer, verifier and verification log. Options are bound
    /// from the <c>KeyInfra</c> configuration section, then <paramref name="configure"/> runs, and they
    /// are validated when the host starts. Follow with a storage provider (<c>UseSqlite</c>,
    /// <c>UsePostgreSql</c>) and a master key source (<c>UseEnvironmentMasterKey</c>, …).
    /// </summary>
    /// <remarks>Safe to call more than once: services are added once, and every <paramref name="configure"/> runs.</remarks>
    public static IKeyInfrastructureBuilder AddKeyInfrastructure(this IServiceCollection services, Action<KeyInfraOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<KeyInfraOptions>().BindConfiguration(KeyInfraOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITenantContext, DefaultTenantContext>();
        return new KeyInfrastructureBuilder(services);
    }
}
