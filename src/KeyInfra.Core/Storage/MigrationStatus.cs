namespace KeyInfra.Storage;

/// <summary>Which schema migrations a database has, and which it lacks.</summary>
/// <param name="Applied">Applied migrations, oldest first.</param>
/// <param name="Pending">Known migrations not yet applied, oldest first.</param>
public sealed record MigrationStatus(IReadOnlyList<string> Applied, IReadOnlyList<string> Pending)
{
    /// <summary>Whether the schema is current.</summary>
    public bool IsUpToDate => Pending.Count == 0;
}
