using KeyInfra.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyInfra.HealthChecks;

/// <summary>Storage is reachable and its schema has every migration (<see cref="IKeyInfraMigrator.GetStatusAsync"/>).</summary>
/// <remarks>An unreachable store is reported by its exception's type only: messages may name hosts or connection settings.</remarks>
internal sealed class StorageHealthCheck(IKeyInfraMigrator? migrator = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (migrator is null)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                "No storage provider is registered: call UseSqlite(...) or UsePostgreSql(...) after AddKeyInfrastructure().");
        }

        MigrationStatus status;
        try
        {
            status = await migrator.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"Storage is unreachable: reading the schema's migrations failed with {e.GetType().Name}. Check that the database is up and the connection settings are right; the application log has the details.");
        }

        var data = new Dictionary<string, object>
        {
            ["applied_migrations"] = status.Applied.Count,
            ["pending_migrations"] = status.Pending.Count,
        };
        return status.IsUpToDate
            ? HealthCheckResult.Healthy($"Storage is reachable and its schema is current ({status.Applied.Count} migrations applied).", data)
            : new HealthCheckResult(context.Registration.FailureStatus,
                $"The schema lacks {status.Pending.Count} migrations (the first is '{status.Pending[0]}'). Migrate the database: turn MigrateOnStartup on, or run 'migrate up' (IKeyInfraMigrator.MigrateAsync).",
                data: data);
    }
}
