using KeyInfra.EntityFrameworkCore;
using KeyInfra.Errors;
using KeyInfra.Sqlite.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyInfra.Sqlite.HealthChecks;

/// <summary>
/// The SQLite database file is sound: <c>PRAGMA quick_check</c> finds no problem. It reads every page, so its cost
/// grows with the file; a failure names the error code and SQLite's first finding, never a connection string.
/// </summary>
internal sealed class SqliteIntegrityHealthCheck(IDbContextFactory<KeyInfraDbContext> contextFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<string> problems;
        try
        {
            await using var dbContext = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await dbContext.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            problems = await SqliteIntegrity.QuickCheckAsync(dbContext.Database.GetDbConnection(), cancellationToken).ConfigureAwait(false);
        }
        catch (KeyInfraException e) when (e.ErrorCode == ErrorCodes.StorageCorrupt)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{ErrorCodes.StorageCorrupt}: the SQLite database file is corrupt. Stop the hosts using it and restore it from a backup; the application log has the details.");
        }
        catch (SqliteException e) when (SqliteFailures.IsCorruption(e))
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{ErrorCodes.StorageCorrupt}: the SQLite database file is corrupt (SQLite error {e.SqliteExtendedErrorCode}). Stop the hosts using it and restore it from a backup.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The SQLite database could not be checked: opening or reading it failed with {e.GetType().Name}. The application log has the details.");
        }

        var data = new Dictionary<string, object> { ["problems"] = problems.Count };
        return problems.Count == 0
            ? HealthCheckResult.Healthy("The SQLite database file is sound (PRAGMA quick_check: ok).", data)
            : new HealthCheckResult(context.Registration.FailureStatus,
                $"{ErrorCodes.StorageCorrupt}: PRAGMA quick_check found {problems.Count} problem(s) in the SQLite database file, the first: {problems[0]}. Stop the hosts using it and restore it from a backup.",
                data: data);
    }
}
