using KeyInfra.Encryption;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Selects the environment master key source.</summary>
public static class EnvironmentMasterKeyBuilderExtensions
{
    /// <summary>
    /// Takes the master key from the environment: <c>KEYINFRA_MASTER_KEY</c> (or a key derived from
    /// <c>MASTER_SECRET</c>), older keys from <c>KEYINFRA_PREVIOUS_MASTER_KEYS</c>, and an optional id from
    /// <c>KEYINFRA_MASTER_KEY_ID</c>. <paramref name="configure"/> runs after the variables are read and may
    /// override them. The settings are validated when the host starts.
    /// </summary>
    /// <remarks>
    /// Replaces any master key source registered before (a host has one). Safe to call more than once: the
    /// source is registered once, and every <paramref name="configure"/> runs in order. See docs/security.md.
    /// </remarks>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <param name="configure">Adjusts the settings after the environment variables are read.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IKeyInfrastructureBuilder UseEnvironmentMasterKey(this IKeyInfrastructureBuilder builder, Action<EnvironmentMasterKeyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<EnvironmentMasterKeyOptions>, EnvironmentMasterKeyOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EnvironmentMasterKeyOptions>, EnvironmentMasterKeyOptionsValidator>());
        var options = services.AddOptions<EnvironmentMasterKeyOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder.UseMasterKeySource<EnvironmentMasterKeyProvider>();
    }
}
