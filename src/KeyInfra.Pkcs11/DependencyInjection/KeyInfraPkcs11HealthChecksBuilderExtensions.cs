using KeyInfra.HealthChecks;
using KeyInfra.Pkcs11.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds KeyInfra.Pkcs11's health check to a host's health checks.</summary>
public static class KeyInfraPkcs11HealthChecksBuilderExtensions
{
    /// <summary>The name of the check that the HSM tokens are present and logged in: <c>keyinfra.pkcs11</c>.</summary>
    public const string Pkcs11Name = "keyinfra.pkcs11";

    /// <summary>
    /// Adds <see cref="Pkcs11Name"/>, tagged <see cref="KeyInfraHealthChecks.Tag"/> and <see cref="KeyInfraHealthChecks.ReadyTag"/>:
    /// Healthy when every checked slot's token is present and its pool logged in (and the probe key, if configured, signs);
    /// the registration's failure status (Unhealthy) otherwise, naming each failing slot and its error code.
    /// </summary>
    /// <param name="builder">The builder returned by <c>services.AddHealthChecks()</c>.</param>
    /// <param name="configure">Sets <see cref="Pkcs11HealthCheckOptions"/>: which slots, and a probe key.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>Safe to call more than once: the check is added once, every <paramref name="configure"/> runs. Needs <c>AddPkcs11()</c>.</remarks>
    public static IHealthChecksBuilder AddKeyInfrastructurePkcs11(this IHealthChecksBuilder builder, Action<Pkcs11HealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<Pkcs11HealthCheckOptions>();
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        if (builder.Services.Any(d => d.ServiceType == typeof(Registered)))
        {
            return builder;
        }

        builder.Services.AddSingleton<Registered>();
        builder.AddCheck<Pkcs11HealthCheck>(Pkcs11Name, tags: [KeyInfraHealthChecks.Tag, KeyInfraHealthChecks.ReadyTag]);
        return builder;
    }

    /// <summary>Marks a service collection whose PKCS#11 check is added, so a second call adds none.</summary>
    private sealed class Registered;
}
