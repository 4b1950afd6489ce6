namespace KeyInfra.Storage;

/// <summary>Persists the check values of the master keys a database has seen.</summary>
/// <remarks>
/// Master key checks are global, not per tenant. Every provider keeps this contract (the storage conformance suite
/// tests it): adding is idempotent by key id, and the first check of a key id stays, even when several instances
/// add one at the same time. Thread-safe.
/// </remarks>
public interface IMasterKeyRepository
{
    /// <summary>All known master key checks, oldest first.</summary>
    Task<IReadOnlyList<MasterKeyCheck>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a check; does nothing, and does not fail, if one with that key id exists.</summary>
    Task AddAsync(MasterKeyCheck check, CancellationToken cancellationToken = default);
}
