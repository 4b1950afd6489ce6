using KeyInfra.HealthChecks;
using KeyInfra.KeySources.Vault;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Vault key source's health check to a host's health checks.</summary>
public static class KeyInfraVaultHealthChecksBuilderExtensions
{
    /// <summary>The name of the check: <c>keyinfra.vault</c>.</summary>
    public const string VaultName = "keyinfra.vault";

    /// <summary>
    /// Adds <see cref="VaultName"/>, tagged <see cref="KeyInfraHealthChecks.Tag"/> and <see cref="KeyInfraHealthChecks.ReadyTag"/>:
    /// Healthy when the key was read and the last refresh succeeded, Degraded when the last refresh failed (the last key
    /// read stays in use), the registration's failure status when no key could be read. Needs <c>UseVaultMasterKey()</c>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>services.AddHealthChecks()</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>Safe to call more than once: the check is added once.</remarks>
    public static IHealthChecksBuilder AddKeyInfrastructureVault(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(Registered)))
        {
            return builder;
        }

        builder.Services.AddSingleton<Registered>();
        builder.Add(new HealthCheckRegistration(VaultName, sp => new MasterKeySourceHealthCheck(sp.GetRequiredService<VaultMasterKeySource>(), "Vault"), failureStatus: null, tags: [KeyInfraHealthChecks.Tag, KeyInfraHealthChecks.ReadyTag]));
        return builder;
    }

    /// <summary>Marks a service collection whose Vault check is added, so a second call adds none.</summary>
    private sealed class Registered;
}
