using Azure.Core;
using KeyInfra.Encryption;
using KeyInfra.HealthChecks;
using KeyInfra.KeySources.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Takes KeyInfra's master key from Azure Key Vault.</summary>
public static class KeyInfraAzureBuilderExtensions
{
    /// <summary>The name of the source's health check: <c>keyinfra.azure-key-vault</c>.</summary>
    public const string HealthCheckName = "keyinfra.azure-key-vault";

    /// <summary>
    /// Makes an Azure Key Vault secret the host's master key source (see <see cref="AzureKeyVaultMasterKeyOptions"/>),
    /// replacing any source registered before. The options are validated at start and the key is first read when
    /// KeyInfra starts: a failure then fails the start (KI7201–KI7205, KI2002).
    /// </summary>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <param name="configure">Sets the options; <see cref="AzureKeyVaultMasterKeyOptions.Credential"/> is required.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IKeyInfrastructureBuilder UseAzureKeyVaultMasterKey(this IKeyInfrastructureBuilder builder, Action<AzureKeyVaultMasterKeyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<AzureKeyVaultMasterKeyOptions>().Configure(configure);
        return Register(builder);
    }

    /// <summary>
    /// Makes an Azure Key Vault secret the master key source, with the options bound from <paramref name="configuration"/>
    /// (for example the section <c>KeyInfra:AzureKeyVault</c>: <c>VaultUri</c>, <c>SecretName</c>, <c>PreviousSecretVersions</c>
    /// as an array, …) and <paramref name="credential"/>, which configuration cannot hold.
    /// </summary>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <param name="configuration">The section whose keys are <see cref="AzureKeyVaultMasterKeyOptions"/>' property names.</param>
    /// <param name="credential">The identity the vault is read with (managed identity, workload identity, a client secret…).</param>
    /// <returns>The builder, for chaining.</returns>
    public static IKeyInfrastructureBuilder UseAzureKeyVaultMasterKey(this IKeyInfrastructureBuilder builder, IConfiguration configuration, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(credential);
        builder.Services.AddOptions<AzureKeyVaultMasterKeyOptions>().Bind(configuration).Configure(o => o.Credential = credential);
        return Register(builder);
    }

    private static IKeyInfrastructureBuilder Register(IKeyInfrastructureBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AzureKeyVaultMasterKeyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureKeyVaultMasterKeyOptions>, AzureKeyVaultMasterKeyOptionsValidator>());
        services.TryAddSingleton(sp => new AzureKeyVaultMasterKeySource(
            sp.GetRequiredService<IOptions<AzureKeyVaultMasterKeyOptions>>(),
            sp.GetRequiredService<ILogger<AzureKeyVaultMasterKeySource>>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetService<TimeProvider>()));
        return builder.UseMasterKeySource<IEncryptionKeyProvider>(sp => sp.GetRequiredService<AzureKeyVaultMasterKeySource>());
    }

    /// <summary>
    /// Adds <see cref="HealthCheckName"/>, tagged <see cref="KeyInfraHealthChecks.Tag"/> and <see cref="KeyInfraHealthChecks.ReadyTag"/>:
    /// Healthy after a good read, Degraded while refreshes fail, the failure status when no key could be read. Needs
    /// <c>UseAzureKeyVaultMasterKey()</c>. Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder returned by <c>services.AddHealthChecks()</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddKeyInfrastructureAzureKeyVault(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(Registered)))
        {
            return builder;
        }

        builder.Services.AddSingleton<Registered>();
        builder.Add(new HealthCheckRegistration(HealthCheckName, sp => new MasterKeySourceHealthCheck(sp.GetRequiredService<AzureKeyVaultMasterKeySource>(), "Azure Key Vault"), failureStatus: null, tags: [KeyInfraHealthChecks.Tag, KeyInfraHealthChecks.ReadyTag]));
        return builder;
    }

    /// <summary>Marks a service collection whose check is added, so a second call adds none.</summary>
    private sealed class Registered;
}
