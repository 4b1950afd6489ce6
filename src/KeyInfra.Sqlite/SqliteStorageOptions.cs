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

    /// <summary>The longest <see cref="MigrationLockTimeout"/>: one hour.</summary>
    public static readonly TimeSpan MaxMigrationLockTimeout = TimeSpan.FromHours(1);

    /// <summary>The shortest <see cref="KeyChangePollInterval"/>: 10 milliseconds.</summary>
    public static readonly TimeSpan MinKeyChangePollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest <see cref="KeyChangePollInterval"/>: one minute.</summary>
    public static readonly TimeSpan MaxKeyChangePollInterval = TimeSpan.FromMinutes(1);

    private TimeSpan _busyTimeout = TimeSpan.FromSeconds(5);
    private TimeSpan _migrationLockTimeout = TimeSpan.FromMinutes(2);
    private SqliteSynchronousMode _synchronous = SqliteSynchronousMode.Full;
    private TimeSpan _keyChangePollInterval = TimeSpan.FromSeconds(1);

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

    /// <summary>
    /// Whether the first connection KeyInfra opens (at the latest when the host starts, before anything is written)
    /// runs <c>PRAGMA quick_check</c> and refuses a corrupt file: that open, and every later one, then fails with
    /// <c>KI4701</c> (<see cref="Errors.ErrorCodes.StorageCorrupt"/>). Default: <c>false</c>.
    /// </summary>
    /// <remarks>
    /// The check reads every page of the file, so a start takes longer as the database grows (about a second per
    /// gigabyte on a local SSD). Without it a damaged page is still refused when a read reaches it (every read that
    /// hits corruption fails with <c>KI4701</c>); with it, a host does not start, and acknowledge verifications, on a
    /// damaged file. The SQLite health check (<c>AddKeyInfrastructureSqlite()</c>) runs the same check on demand.
    /// </remarks>
    public bool QuickCheckOnStart { get; set; }

    /// <summary>
    /// How long a migration waits for another process that is migrating the same database file (it holds the lock
    /// file <c>&lt;database&gt;.migrations.lock</c> beside it) before it fails with <c>KI4702</c>
    /// (<see cref="Errors.ErrorCodes.MigrationLockTimeout"/>). Default: 2 minutes. Zero to <see cref="MaxMigrationLockTimeout"/>.
    /// </summary>
    /// <remarks>The lock is the operating system's: it goes with the process that holds it, even one that is killed.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or longer than <see cref="MaxMigrationLockTimeout"/>.</exception>
    public TimeSpan MigrationLockTimeout
    {
        get => _migrationLockTimeout;
        set
        {
            if (value < TimeSpan.Zero || value > MaxMigrationLockTimeout)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The SQLite migration lock timeout must be between zero and {MaxMigrationLockTimeout}.");
            }

            _migrationLockTimeout = value;
        }
    }

    /// <summary>
    /// Whether a hosted service watches the database file for key changes made by other processes (another host on the
    /// same file, the admin CLI) and drops those keys from this process's key caches. Default: <c>true</c>. Turn it off
    /// only when no other process ever writes keys to the file: otherwise a key revoked elsewhere keeps verifying here
    /// until its cache entry expires (<see cref="KeyCacheOptions.TimeToLive"/>, 5 minutes by default).
    /// </summary>
    /// <remarks>
    /// Triggers on the key tables record each changed key in <c>key_changes</c> in the same transaction as the change.
    /// The watcher keeps one connection open and asks it, every <see cref="KeyChangePollInterval"/>, whether anything
    /// was committed (<c>PRAGMA data_version</c>, which costs no I/O); only then does it read the keys changed since its
    /// last look, and it drops just those, so the verification log's constant commits do not empty the cache.
    /// </remarks>
    public bool DetectKeyChanges { get; set; } = true;

    /// <summary>
    /// How often the key change watcher looks for changes made by other processes (see <see cref="DetectKeyChanges"/>):
    /// a revocation made elsewhere reaches this process within about this interval. Default: 1 second.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside <see cref="MinKeyChangePollInterval"/> to <see cref="MaxKeyChangePollInterval"/>.</exception>
    public TimeSpan KeyChangePollInterval
    {
        get => _keyChangePollInterval;
        set
        {
            if (value < MinKeyChangePollInterval || value > MaxKeyChangePollInterval)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The key change poll interval must be between {MinKeyChangePollInterval} and {MaxKeyChangePollInterval}.");
            }

            _keyChangePollInterval = value;
        }
    }
}
