namespace KeyInfra.Sqlite.Migrations;

/// <summary>
/// The SQL of the SQLite migrations EF Core cannot express (triggers). Written by hand (the generated migrations beside
/// it are not); each Up has its Down.
/// </summary>
internal static class SqliteMigrationSql
{
    // ---- LogChain --------------------------------------------------------------------------------------------

    private static readonly string[] s_logTables = ["verification_records", "batch_verifications", "batch_verification_items", "verification_log_digests", "verification_log_checkpoints"];

    /// <summary>
    /// The log tables are append-only: every UPDATE and DELETE on them fails. SQLite has no roles, so this holds for
    /// every connection, KeyInfra's included (it never changes a log row); a writer who can change the schema can drop
    /// the triggers, which is what the chain's digests are for.
    /// </summary>
    public static string LogChainUp => string.Concat(s_logTables.Select(table => $"""
        CREATE TRIGGER keyinfra_{table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, 'KeyInfra: the verification log is append-only; rows of {table} cannot be updated'); END;
        CREATE TRIGGER keyinfra_{table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, 'KeyInfra: the verification log is append-only; rows of {table} cannot be deleted'); END;

        """));

    public static string LogChainDown => string.Concat(s_logTables.Select(table => $"""
        DROP TRIGGER keyinfra_{table}_no_update;
        DROP TRIGGER keyinfra_{table}_no_delete;

        """));
}
