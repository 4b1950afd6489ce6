using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyInfra.Sqlite;

/// <summary>
/// Tunes every SQLite connection KeyInfra opens: creates the database's folder before the first open, then
/// sets WAL, the busy timeout, foreign keys and the synchronous mode. Thread-safe.
/// </summary>
internal sealed class SqliteConnectionInterceptor : DbConnectionInterceptor
{
    private readonly string? _databaseDirectory;
    private readonly string _pragmas;
    private volatile bool _directoryEnsured;

    public SqliteConnectionInterceptor(SqliteDatabaseLocation location, SqliteStorageOptions options)
    {
        _databaseDirectory = location.Directory;
        _directoryEnsured = _databaseDirectory is null;

        // Pragmas take no parameters; these values are an integer and a fixed keyword, never user text.
        var synchronous = options.Synchronous == SqliteSynchronousMode.Normal ? "NORMAL" : "FULL";
        var busyTimeoutMs = ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        _pragmas = $"PRAGMA journal_mode=WAL; PRAGMA busy_timeout={busyTimeoutMs}; PRAGMA foreign_keys=ON; PRAGMA synchronous={synchronous};";
    }

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        EnsureDirectory();
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        EnsureDirectory();
        return ValueTask.FromResult(result);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void EnsureDirectory()
    {
        if (_directoryEnsured)
        {
            return;
        }

        // Idempotent, so a race between two first opens is harmless.
        Directory.CreateDirectory(_databaseDirectory!);
        _directoryEnsured = true;
    }
}
