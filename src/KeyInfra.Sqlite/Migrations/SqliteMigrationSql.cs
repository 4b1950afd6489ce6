namespace KeyInfra.Sqlite.Migrations;

/// <summary>The SQL of the SQLite migrations that EF Core's table rebuilds cannot order by themselves. Written by hand.</summary>
internal static class SqliteMigrationSql
{
    /// <remarks>
    /// SQLite changes a constraint by rebuilding the table, and EF Core rebuilds <c>private_keys</c> (whose new foreign
    /// key names <c>public_keys (tenant_id, id)</c>) before <c>public_keys</c> (which gets the unique constraint), so the
    /// copy of the private keys would find no unique parent key. This index serves as one until <c>public_keys</c> is
    /// rebuilt with its constraint; the rebuild drops it with the old table.
    /// </remarks>
    public const string SignatureHardeningParentKey = "CREATE UNIQUE INDEX ux_public_keys_tenant_id_id_migrating ON public_keys (tenant_id, id);";
}
