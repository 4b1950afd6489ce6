namespace KeyInfra.Sqlite;

/// <summary>SQLite's <c>PRAGMA synchronous</c> setting in WAL mode: how hard a commit works to survive a power loss.</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// <c>FULL</c>, the default: every commit is synced to disk before it returns, so a committed transaction
    /// (a durable verification record, a new key) survives a power loss or an operating system crash.
    /// </summary>
    Full = 0,

    /// <summary>
    /// <c>NORMAL</c>: the WAL is synced only at checkpoints. Commits are faster and the database cannot be
    /// corrupted, but the last transactions before a power loss or an operating system crash may be rolled
    /// back (a process crash loses nothing). This weakens <c>LogMode.Durable</c> to "durable unless the
    /// machine loses power".
    /// </summary>
    Normal = 1,
}
