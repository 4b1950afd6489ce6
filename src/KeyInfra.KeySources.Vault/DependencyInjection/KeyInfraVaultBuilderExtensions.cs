using KeyInfra.Encryption;
using KeyInfra.KeySources.Vault;
using KeyInfra.KeySources.Vault.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Takes KeyInfra's master key from HashiCorp Vault.</summary>
public static class KeyInfraVaultBuilderExtensions
{
    /// <summary>
    /// Makes a HashiCorp Vault KV v2 secret the host's master key source (see <see cref="VaultMasterKeyOptions"/>),
    /// replacing any source registered before.
    /// </summary>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <param name="configure">Sets the options; values it leaves unset come from configuration bound with the other overload, then from <c>VAULT_ADDR</c>, <c>VAULT_TOKEN</c>, <c>VAULT_NAMESPACE</c> and <c>VAULT_CACERT</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>The options are validated at start; the key is first read when KeyInfra starts, and a failure then fails the start (KI7001–KI7005, KI2002).</remarks>
    public static IKeyInfrastructureBuilder UseVaultMasterKey(this IKeyInfrastructureBuilder builder, Action<VaultMasterKeyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<VaultMasterKeyOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder);
    }

    /// <summary>Makes a HashiCorp Vault KV v2 secret the master key source, with the options bound from <paramref name="configuration"/> (for example the section <c>KeyInfra:Vault</c>).</summary>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <param name="configuration">The section whose keys are <see cref="VaultMasterKeyOptions"/>' property names.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IKeyInfrastructureBuilder UseVaultMasterKey(this IKeyInfrastructureBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<VaultMasterKeyOptions>().Bind(configuration);
        return Register(builder);
    }

    private static IKeyInfrastructureBuilder Register(IKeyInfrastructureBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<VaultMasterKeyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<VaultMasterKeyOptions>, VaultMasterKeyOptionsFromEnvironment>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VaultMasterKeyOptions>, VaultMasterKeyOptionsValidator>());
        services.AddMetrics();
        if (!services.Any(d => d.ServiceType == typeof(VaultMasterKeySource)))
        {
            services.AddHttpClient(VaultClient.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(sp => VaultHttpHandler.Create(sp.GetRequiredService<IOptions<VaultMasterKeyOptions>>().Value))
                .ConfigureHttpClient((sp, client) => client.Timeout = Timeout.InfiniteTimeSpan)
                .AddResilienceHandler("keyinfra-vault", static (pipeline, context) =>
                {
                    var options = context.ServiceProvider.GetRequiredService<IOptions<VaultMasterKeyOptions>>().Value;
                    if (options.MaxRetries > 0)
                    {
                        pipeline.AddRetry(new HttpRetryStrategyOptions
                        {
                            MaxRetryAttempts = options.MaxRetries,
                            Delay = options.RetryDelay,
                            BackoffType = DelayBackoffType.Exponential,
                            UseJitter = true,
                        });
                    }

                    pipeline.AddTimeout(options.RequestTimeout);
                });
            services.AddSingleton(sp => new VaultMasterKeySource(
                sp.GetRequiredService<IOptions<VaultMasterKeyOptions>>(),
                sp.GetRequiredService<IHttpClientFactory>(),
                sp.GetRequiredService<Logging.ILogger<VaultMasterKeySource>>(),
                sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
                sp.GetService<TimeProvider>()));
        }

        return builder.UseMasterKeySource<IEncryptionKeyProvider>(sp => sp.GetRequiredService<VaultMasterKeySource>());
    }
}
