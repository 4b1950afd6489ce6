using KeyInfra.HealthChecks;
using KeyInfra.Sqlite.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the SQLite provider's health checks to a host's health checks.</summary>
public static class KeyInfraSqliteHealthChecksBuilderExtensions
{
    /// <summary>The name of the check that key changes made by other processes are watched for: <c>keyinfra.sqlite.key_change_detector</c>.</summary>
    public const string KeyChangeDetectorName = "keyinfra.sqlite.key_change_detector";

    /// <summary>
    /// Adds <see cref="KeyChangeDetectorName"/>: Healthy while the detector looks for changes on schedule (or when
    /// detection is turned off), Degraded while it is starting or failing. Tagged <see cref="KeyInfraHealthChecks.Tag"/>
    /// and <see cref="KeyInfraHealthChecks.ReadyTag"/>. Add the core checks with <c>AddKeyInfrastructure()</c>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>services.AddHealthChecks()</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>Safe to call more than once: the check is added once. Needs <c>UseSqlite</c>.</remarks>
    public static IHealthChecksBuilder AddKeyInfrastructureSqlite(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(Registered)))
        {
            return builder;
        }

        builder.Services.AddSingleton<Registered>();
        builder.AddCheck<KeyChangeDetectorHealthCheck>(KeyChangeDetectorName, tags: [KeyInfraHealthChecks.Tag, KeyInfraHealthChecks.ReadyTag]);
        return builder;
    }

    /// <summary>Marks a service collection whose SQLite checks are added, so a second call adds none.</summary>
    private sealed class Registered;
}
