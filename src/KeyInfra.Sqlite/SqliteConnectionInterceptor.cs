using System.Data.Common;
using System.Globalization;
using KeyInfra.Sqlite.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KeyInfra.Sqlite;

/// <summary>
/// Tunes every SQLite connection KeyInfra opens: creates the database's folder before the first open, then
/// sets WAL, the busy timeout, foreign keys, the synchronous mode and cell size checks. With
/// <see cref="SqliteStorageOptions.QuickCheckOnStart"/> the first connection also runs <c>PRAGMA quick_check</c>, and
/// no connection opens on a file it found corrupt. Thread-safe.
/// </summary>
internal sealed class SqliteConnectionInterceptor : DbConnectionInterceptor
{
    private readonly string? _databaseDirectory;
    private readonly string? _databaseFile;
    private readonly string _pragmas;
    private readonly ILogger _logger;
    private volatile bool _directoryEnsured;
    private volatile bool _quickCheckDone;
    private volatile KeyInfraCorruption? _corruption;

    public SqliteConnectionInterceptor(SqliteDatabaseLocation location, SqliteStorageOptions options, ILogger? logger = null)
    {
        _databaseDirectory = location.Directory;
        _databaseFile = location.FilePath;
        _directoryEnsured = _databaseDirectory is null;
        _quickCheckDone = !options.QuickCheckOnStart;
        _logger = logger ?? NullLogger.Instance;

        // Pragmas take no parameters; these values are an integer and a fixed keyword, never user text.
        // cell_size_check makes SQLite check each b-tree cell as it reads it, so a damaged page fails the read
        // (SQLITE_CORRUPT) instead of yielding fewer rows.
        var synchronous = options.Synchronous == SqliteSynchronousMode.Normal ? "NORMAL" : "FULL";
        var busyTimeoutMs = ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        _pragmas = $"PRAGMA journal_mode=WAL; PRAGMA busy_timeout={busyTimeoutMs}; PRAGMA foreign_keys=ON; PRAGMA synchronous={synchronous}; PRAGMA cell_size_check=ON;";
    }

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        ThrowIfCorrupt();
        EnsureDirectory();
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ThrowIfCorrupt();
        EnsureDirectory();
        return ValueTask.FromResult(result);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = _pragmas;
                command.ExecuteNonQuery();
            }

            if (!_quickCheckDone)
            {
                // Two first opens at once may both check; the outcome is the same, so that costs time only.
                QuickCheckOnce(SqliteIntegrity.QuickCheck(connection));
            }
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = _pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!_quickCheckDone)
            {
                QuickCheckOnce(await SqliteIntegrity.QuickCheckAsync(connection, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    private void QuickCheckOnce(IReadOnlyList<string> problems)
    {
        if (_quickCheckDone)
        {
            return;
        }

        if (problems.Count > 0)
        {
            // Remembered: every later open fails at once, without checking the whole file again.
            Log.QuickCheckFailed(_logger, _databaseFile ?? "(a file: URI)", problems.Count, problems[0]);
            _corruption = new KeyInfraCorruption(problems.Count, problems[0]);
        }

        _quickCheckDone = true;
        ThrowIfCorrupt();
    }

    private void ThrowIfCorrupt()
    {
        if (_corruption is { } corruption)
        {
            throw SqliteFailures.Corrupt($"PRAGMA quick_check found {corruption.ProblemCount} problem(s) when KeyInfra first opened it (the first: {corruption.FirstProblem})");
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

    private sealed record KeyInfraCorruption(int ProblemCount, string FirstProblem);
}
