namespace KeyInfra.Storage;

/// <summary>Persists the check values of the master keys a database has seen.</summary>
/// <remarks>
/// Master key checks are global, not per tenant. Every provider keeps this contract (the storage conformance suite
/// tests it): adding is idempotent by key id, and the first check of a key id stays, even when several instances
/// add one at the same time; a replacement applies only over the value it names. Thread-safe.
/// </remarks>
public interface IMasterKeyRepository
{
    /// <summary>All known master key checks, oldest first.</summary>
    Task<IReadOnlyList<MasterKeyCheck>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a check; does nothing, and does not fail, if one with that key id exists.</summary>
    Task AddAsync(MasterKeyCheck check, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the check value of a key id, only if it is still <paramref name="expected"/> (compare-and-set; the
    /// creation time stays). Used to record a change of the database state a check value carries (all key rows
    /// authenticated).
    /// </summary>
    /// <returns><c>true</c> if the value was replaced; <c>false</c>, changing nothing, if there is no check with that id or its value is another.</returns>
    Task<bool> ReplaceAsync(string keyId, byte[] expected, byte[] replacement, CancellationToken cancellationToken = default);

    /// <summary>
    /// The database's master secret salt: stores <paramref name="proposed"/> if the database has none, and returns the one
    /// stored. The first salt stored stays, even when several instances propose theirs at the same time, so every
    /// instance derives the same key. Returns what is stored as it is; the caller checks it.
    /// </summary>
    /// <param name="proposed">A new random salt, stored only if there is none.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored salt: <paramref name="proposed"/>'s values, or those of the one stored before.</returns>
    Task<MasterSecretSalt> GetOrAddSecretSaltAsync(MasterSecretSalt proposed, CancellationToken cancellationToken = default);
}
