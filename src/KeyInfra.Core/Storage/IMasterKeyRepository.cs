namespace KeyInfra.Storage;

/// <summary>Persists the check values of the master keys a database has seen.</summary>
public interface IMasterKeyRepository
{
    /// <summary>All known master key checks.</summary>
    Task<IReadOnlyList<MasterKeyCheck>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a check; does nothing if one with that key id exists.</summary>
    Task AddAsync(MasterKeyCheck check, CancellationToken cancellationToken = default);
}
