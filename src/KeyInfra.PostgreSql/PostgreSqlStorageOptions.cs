namespace KeyInfra.PostgreSql;

/// <summary>
/// How KeyInfra connects to PostgreSQL and maintains its tables. Bound from the <c>KeyInfra:PostgreSql</c>
/// configuration section, then set by the delegate given to <c>UsePostgreSql(…, pg => …)</c>, and validated when
/// the host starts.
/// </summary>
/// <remarks>
/// These settings win over the same settings in the connection string (SSL mode, root certificate, pool sizes). With
/// a data source the host built (<c>UsePostgreSql(provider => dataSource)</c>) the connection settings
/// (<see cref="SslMode"/>, <see cref="RootCertificatePath"/>, <see cref="MinPoolSize"/>, <see cref="MaxPoolSize"/>)
/// are the data source's and these are ignored. The connection string is never logged and never appears in exception
/// messages. Not thread-safe: set it up once.
/// </remarks>
public sealed class PostgreSqlStorageOptions
{
    /// <summary>The configuration section these options are bound from: <c>KeyInfra:PostgreSql</c>.</summary>
    public const string SectionName = "KeyInfra:PostgreSql";

    /// <summary>The largest pool KeyInfra accepts: 1,000 connections.</summary>
    public const int MaxPoolSizeLimit = 1000;

    private PostgreSqlSslMode? _sslMode;
    private int _minPoolSize = 5;
    private int _maxPoolSize = 20;
    private int _maxRetryCount = 3;
    private TimeSpan _maxRetryDelay = TimeSpan.FromSeconds(2);
    private int _partitionsAhead = 3;
    private int _retentionMonths = 24;
    private TimeSpan _maintenanceInterval = TimeSpan.FromHours(1);
    private TimeSpan _notificationReconnectDelay = TimeSpan.FromSeconds(1);
    private TimeSpan _notificationHeartbeatInterval = TimeSpan.FromSeconds(10);
    private TimeSpan _notificationHeartbeatTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// TLS use. Default: the connection string's <c>SSL Mode</c> when it names one of
    /// <see cref="PostgreSqlSslMode"/>'s modes, otherwise <see cref="PostgreSqlSslMode.VerifyFull"/>.
    /// Anything weaker than <see cref="PostgreSqlSslMode.VerifyFull"/> logs a warning at start.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined mode.</exception>
    public PostgreSqlSslMode? SslMode
    {
        get => _sslMode;
        set
        {
            if (value is { } mode && !Enum.IsDefined(mode))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Use VerifyFull, VerifyCa, Require or Disable.");
            }

            _sslMode = value;
        }
    }

    /// <summary>
    /// A PEM file of the CA certificate(s) that sign the server's certificate, for
    /// <see cref="PostgreSqlSslMode.VerifyCa"/> and <see cref="PostgreSqlSslMode.VerifyFull"/>. Default: <c>null</c>,
    /// the connection string's <c>Root Certificate</c> or else the system's trusted roots.
    /// </summary>
    public string? RootCertificatePath { get; set; }

    /// <summary>Connections kept open in the pool. Default: 5. Zero to <see cref="MaxPoolSize"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above <see cref="MaxPoolSizeLimit"/>.</exception>
    public int MinPoolSize
    {
        get => _minPoolSize;
        set => _minPoolSize = InRange(value, 0, MaxPoolSizeLimit, "The minimum pool size");
    }

    /// <summary>The most connections KeyInfra opens at once. Default: 20. 1 to <see cref="MaxPoolSizeLimit"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="MaxPoolSizeLimit"/>.</exception>
    public int MaxPoolSize
    {
        get => _maxPoolSize;
        set => _maxPoolSize = InRange(value, 1, MaxPoolSizeLimit, "The maximum pool size");
    }

    /// <summary>
    /// How many times a storage operation that failed with a transient error (a dropped connection, a server
    /// restarting, a serialization failure) is tried again. Default: 3. Zero turns retries off; at most 10.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above 10.</exception>
    public int MaxRetryCount
    {
        get => _maxRetryCount;
        set => _maxRetryCount = InRange(value, 0, 10, "The retry count");
    }

    /// <summary>The longest wait between two retries (they back off exponentially up to it). Default: 2 seconds; at most 1 minute.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive or is over a minute.</exception>
    public TimeSpan MaxRetryDelay
    {
        get => _maxRetryDelay;
        set => _maxRetryDelay = InRange(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), "The longest retry delay");
    }

    /// <summary>
    /// How many monthly partitions of <c>verification_records</c> exist ahead of the current month; the
    /// maintenance service creates them at start and every <see cref="MaintenanceInterval"/>. Default: 3; 1 to 24.
    /// (A record for a month without a partition still gets one: the log writer creates it first.)
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1–24.</exception>
    public int PartitionsAhead
    {
        get => _partitionsAhead;
        set => _partitionsAhead = InRange(value, 1, 24, "The number of partitions ahead");
    }

    /// <summary>
    /// Whether the maintenance service drops the monthly partitions of <c>verification_records</c> that ended more
    /// than <see cref="RetentionMonths"/> ago. Default: <c>false</c> — the log is evidence, so it is never deleted
    /// unless the host asks. The database role needs EXECUTE on <c>keyinfra_drop_verification_partitions</c>.
    /// </summary>
    public bool EnableRetention { get; set; }

    /// <summary>How many whole months of verification records the retention job keeps. Default: 24; 1 to 1,200.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1–1,200.</exception>
    public int RetentionMonths
    {
        get => _retentionMonths;
        set => _retentionMonths = InRange(value, 1, 1200, "The retention");
    }

    /// <summary>How often partitions are created ahead (and old ones dropped when retention is on). Default: 1 hour; 1 second to 1 day.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1 second to 1 day.</exception>
    public TimeSpan MaintenanceInterval
    {
        get => _maintenanceInterval;
        set => _maintenanceInterval = InRange(value, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "The maintenance interval");
    }

    /// <summary>
    /// The connection string migrations use (<c>MigrateOnStartup</c>, <c>IKeyInfraMigrator</c>, the CLI's <c>migrate</c>):
    /// the role that owns the tables. Default: <c>null</c>, migrations use the main connection. Set it when the main
    /// connection is the application role, as it should be: that role may not create tables, and KeyInfra refuses to start
    /// as the owner (see <see cref="UnsafeAllowRowLevelSecurityBypass"/>). Only migrations open it, with the TLS settings of
    /// these options (also when the main connection is a data source the host built); it is never logged.
    /// </summary>
    /// <remarks>Holds a password: bind it from a secret store, not from a file in source control.</remarks>
    public string? MigrationConnectionString { get; set; }

    /// <summary>
    /// Lets KeyInfra start when its connection's role is exempt from row-level security, or can make itself so: it owns
    /// the tables (or may SET ROLE to their owner), is a superuser, or has (or may SET ROLE to a role with) BYPASSRLS.
    /// Default: <c>false</c>, and such a start fails with KI4601. Turning it on gives up the database's tenant isolation:
    /// tenants are then kept apart only by KeyInfra's own queries (and, for the owner, by FORCE ROW LEVEL SECURITY,
    /// which a statement can still switch tenants under). A warning is logged at every start.
    /// </summary>
    public bool UnsafeAllowRowLevelSecurityBypass { get; set; }

    /// <summary>
    /// Whether a hosted service LISTENs for key changes made by other instances and drops them from this process's
    /// key caches (the database NOTIFYs on every change to a key). Default: <c>true</c>. Turn off only for a single
    /// instance; otherwise a revoked key keeps verifying elsewhere until its cache entry expires.
    /// </summary>
    public bool ListenForKeyChanges { get; set; } = true;

    /// <summary>The wait before the listener reconnects after losing its connection (it doubles, up to 30 seconds). Default: 1 second.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 10 milliseconds to 30 seconds.</exception>
    public TimeSpan NotificationReconnectDelay
    {
        get => _notificationReconnectDelay;
        set => _notificationReconnectDelay = InRange(value, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30), "The reconnect delay");
    }

    /// <summary>
    /// How often the key change listener proves its connection still delivers notifications: it NOTIFYs a channel only it
    /// listens on (from another connection) and must hear it within <see cref="NotificationHeartbeatTimeout"/>; if not,
    /// it drops every cached key and reconnects. A connection that died without an error (a half-open TCP connection, a
    /// stalled network path) is found within this interval plus the timeout. Default: 10 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 100 milliseconds to 5 minutes.</exception>
    public TimeSpan NotificationHeartbeatInterval
    {
        get => _notificationHeartbeatInterval;
        set => _notificationHeartbeatInterval = InRange(value, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), "The heartbeat interval");
    }

    /// <summary>How long the key change listener waits to hear its heartbeat (see <see cref="NotificationHeartbeatInterval"/>). Default: 5 seconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 100 milliseconds to 1 minute.</exception>
    public TimeSpan NotificationHeartbeatTimeout
    {
        get => _notificationHeartbeatTimeout;
        set => _notificationHeartbeatTimeout = InRange(value, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), "The heartbeat timeout");
    }

    /// <summary>
    /// The smallest group commit (records + batches + items) the verification log writes through binary COPY; smaller
    /// groups go as one array <c>INSERT</c> per table, which costs fewer round trips (see docs/postgresql.md for the
    /// measurements). Internal: tests set it to force either path.
    /// </summary>
    internal int LogCopyThreshold { get; set; } = 2048;

    private static int InRange(int value, int min, int max, string what)
        => value < min || value > max
            ? throw new ArgumentOutOfRangeException(nameof(value), value, $"{what} must be between {min} and {max}.")
            : value;

    private static TimeSpan InRange(TimeSpan value, TimeSpan min, TimeSpan max, string what)
        => value < min || value > max
            ? throw new ArgumentOutOfRangeException(nameof(value), value, $"{what} must be between {min} and {max}.")
            : value;
}
