using KeyInfra.HealthChecks;
using KeyInfra.Sqlite.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the SQLite provider's health checks to a host's health checks.</summary>
public static class KeyInfraSqliteHealthChecksBuilderExtensions
{
    /// <summary>The name of the check that the SQLite database file is sound: <c>keyinfra.sqlite.integrity</c>.</summary>
    public const string IntegrityName = "keyinfra.sqlite.integrity";

    /// <summary>The name of the check that key changes made by other processes are watched for: <c>keyinfra.sqlite.key_change_detector</c>.</summary>
    public const string KeyChangeDetectorName = "keyinfra.sqlite.key_change_detector";

    /// <summary>
    /// Adds two checks, both tagged <see cref="KeyInfraHealthChecks.Tag"/> and <see cref="KeyInfraHealthChecks.ReadyTag"/>:
    /// <see cref="IntegrityName"/>, Healthy when <c>PRAGMA quick_check</c> finds the database file sound, the
    /// registration's failure status (Unhealthy) with code <c>KI4701</c> when it is corrupt or cannot be read; and
    /// <see cref="KeyChangeDetectorName"/>, Healthy while the detector looks for other processes' key changes on schedule
    /// (or when detection is turned off), Degraded while it is starting or failing. Add the core checks with
    /// <c>AddKeyInfrastructure()</c>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>services.AddHealthChecks()</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// The integrity check reads every page of the file, so it costs more as the database grows: poll it every few
    /// minutes, not every second. Safe to call more than once: the checks are added once. Needs <c>UseSqlite</c>.
    /// </remarks>
    public static IHealthChecksBuilder AddKeyInfrastructureSqlite(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(Registered)))
        {
            return builder;
        }

        builder.Services.AddSingleton<Registered>();
        builder.AddCheck<SqliteIntegrityHealthCheck>(IntegrityName, tags: [KeyInfraHealthChecks.Tag, KeyInfraHealthChecks.ReadyTag]);
        builder.AddCheck<KeyChangeDetectorHealthCheck>(KeyChangeDetectorName, tags: [KeyInfraHealthChecks.Tag, KeyInfraHealthChecks.ReadyTag]);
        return builder;
    }

    /// <summary>Marks a service collection whose SQLite checks are added, so a second call adds none.</summary>
    private sealed class Registered;
}
