namespace KeyInfra.RowAuthentication;

/// <summary>Whether a database refuses key rows without a MAC; carried by the current master key's check value.</summary>
internal enum KeyRowState
{
    /// <summary>Every key row is authenticated: a row without a MAC is refused like a row whose MAC fails.</summary>
    Strict,

    /// <summary>An older release's database being migrated: a row without a MAC is read, with a warning per row.</summary>
    Migrating,
}
