namespace KeyInfra.Sqlite;

/// <summary>
/// How KeyInfra tunes its SQLite connections, applied to every connection when it opens. Bound from the
/// <c>KeyInfra:Sqlite</c> configuration section, then set by the delegate given to <c>UseSqlite(…, sqlite => …)</c>.
/// </summary>
/// <remarks>
/// Every connection also gets <c>PRAGMA journal_mode=WAL</c> (readers and the writer do not block each
/// other) and <c>PRAGMA foreign_keys=ON</c> (the database keeps referential integrity); those are not options.
/// </remarks>
public sealed class SqliteStorageOptions
{
    /// <summary>The configuration section these options are bound from: <c>KeyInfra:Sqlite</c>.</summary>
    public const string SectionName = "KeyInfra:Sqlite";

    /// <summary>The longest <see cref="BusyTimeout"/>: one hour.</summary>
    public static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromHours(1);

    private TimeSpan _busyTimeout = TimeSpan.FromSeconds(5);
    private SqliteSynchronousMode _synchronous = SqliteSynchronousMode.Full;

    /// <summary>
    /// How long a statement waits for another connection's write lock before it fails with
    /// <c>SQLITE_BUSY</c> (<c>PRAGMA busy_timeout</c>). Default: 5 seconds. Zero to <see cref="MaxBusyTimeout"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or longer than <see cref="MaxBusyTimeout"/>.</exception>
    public TimeSpan BusyTimeout
    {
        get => _busyTimeout;
        set
        {
            if (value < TimeSpan.Zero || value > MaxBusyTimeout)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The SQLite busy timeout must be between zero and {MaxBusyTimeout}.");
            }

            _busyTimeout = value;
        }
    }

    /// <summary>
    /// How hard a commit works to survive a power loss (<c>PRAGMA synchronous</c>). Default:
    /// <see cref="SqliteSynchronousMode.Full"/>. <see cref="SqliteSynchronousMode.Normal"/> is faster but may
    /// lose the last commits on a power loss; see its remarks.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined mode.</exception>
    public SqliteSynchronousMode Synchronous
    {
        get => _synchronous;
        set
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Use SqliteSynchronousMode.Full or SqliteSynchronousMode.Normal.");
            }

            _synchronous = value;
        }
    }
}
