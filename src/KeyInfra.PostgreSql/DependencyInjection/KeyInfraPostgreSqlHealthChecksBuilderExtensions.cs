using KeyInfra.HealthChecks;
using KeyInfra.PostgreSql.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the PostgreSQL provider's health checks to a host's health checks.</summary>
public static class KeyInfraPostgreSqlHealthChecksBuilderExtensions
{
    /// <summary>The name of the check that the key-change listener is LISTENing: <c>keyinfra.postgresql.key_change_listener</c>.</summary>
    public const string KeyChangeListenerName = "keyinfra.postgresql.key_change_listener";

    /// <summary>
    /// Adds <see cref="KeyChangeListenerName"/>: Healthy while the listener LISTENs (or when listening is turned off),
    /// Degraded while it is connecting or reconnecting. Tagged <see cref="KeyInfraHealthChecks.Tag"/> and
    /// <see cref="KeyInfraHealthChecks.ReadyTag"/>. Add the core checks with <c>AddKeyInfrastructure()</c>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>services.AddHealthChecks()</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>Safe to call more than once: the check is added once.</remarks>
    public static IHealthChecksBuilder AddKeyInfrastructurePostgreSql(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(Registered)))
        {
            return builder;
        }

        builder.Services.AddSingleton<Registered>();
        builder.AddCheck<KeyChangeListenerHealthCheck>(KeyChangeListenerName, tags: [KeyInfraHealthChecks.Tag, KeyInfraHealthChecks.ReadyTag]);
        return builder;
    }

    /// <summary>Marks a service collection whose PostgreSQL checks are added, so a second call adds none.</summary>
    private sealed class Registered;
}
