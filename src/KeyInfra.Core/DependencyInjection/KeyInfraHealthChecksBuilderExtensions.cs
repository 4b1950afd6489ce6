using KeyInfra.Encryption;
using KeyInfra.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds KeyInfra's health checks to a host's health checks.</summary>
public static class KeyInfraHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds KeyInfra's health checks: <see cref="KeyInfraHealthChecks.StorageName"/> (storage reachable, schema migrated),
    /// <see cref="KeyInfraHealthChecks.MasterKeyName"/> (master keys validated against the database) and
    /// <see cref="KeyInfraHealthChecks.VerificationLogName"/> (log writer running, queue not backed up) and
    /// <see cref="KeyInfraHealthChecks.CertificatesName"/> (every authority's CRL current). Every check carries
    /// <see cref="KeyInfraHealthChecks.Tag"/>, all but the certificates check <see cref="KeyInfraHealthChecks.ReadyTag"/>,
    /// and the log writer's also <see cref="KeyInfraHealthChecks.LiveTag"/>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>services.AddHealthChecks()</c>.</param>
    /// <param name="configure">Sets <see cref="KeyInfraHealthCheckOptions"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// Safe to call more than once: the checks are added once, and every <paramref name="configure"/> runs. Results
    /// name error codes, key ids and exception types, never connection strings or key material; a failing check
    /// reports the registration's failure status (Unhealthy). Register KeyInfra with <c>AddKeyInfrastructure()</c> as well.
    /// </remarks>
    public static IHealthChecksBuilder AddKeyInfrastructure(this IHealthChecksBuilder builder, Action<KeyInfraHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<KeyInfraHealthCheckOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(Registered)))
        {
            return builder;
        }

        services.AddSingleton<Registered>();
        string[] ready = [KeyInfraHealthChecks.Tag, KeyInfraHealthChecks.ReadyTag];
        builder.AddCheck<StorageHealthCheck>(KeyInfraHealthChecks.StorageName, tags: ready);
        builder.Add(new HealthCheckRegistration(
            KeyInfraHealthChecks.MasterKeyName,
            provider => new MasterKeyHealthCheck(provider.GetService<IEncryptionKeyProvider>() is null ? null : provider.GetRequiredService<MasterKeyValidator>()),
            failureStatus: null,
            tags: ready));
        builder.AddCheck<VerificationLogHealthCheck>(KeyInfraHealthChecks.VerificationLogName,
            tags: [KeyInfraHealthChecks.Tag, KeyInfraHealthChecks.ReadyTag, KeyInfraHealthChecks.LiveTag]);
        builder.AddCheck<CertificateHealthCheck>(KeyInfraHealthChecks.CertificatesName, tags: [KeyInfraHealthChecks.Tag]);
        return builder;
    }

    /// <summary>Marks a service collection whose KeyInfra checks are added, so a second call adds none.</summary>
    private sealed class Registered;
}
