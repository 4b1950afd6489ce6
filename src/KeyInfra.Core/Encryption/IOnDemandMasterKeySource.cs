namespace KeyInfra.Encryption;

/// <summary>
/// A master key source that can read its keys again at once when stored data names a key id its ring lacks: another
/// instance refreshed first and wrapped or authenticated something under a new key. KeyInfra asks it before refusing
/// such data, so the window between two instances' refreshes does not show as unreadable keys or tampered rows.
/// </summary>
/// <remarks>
/// Implementations bound how often they read on demand (a database writer can plant rows naming any key id, and every
/// such row must not cost a call to the secret store). <see cref="RefreshingMasterKeySource"/> implements it. Thread-safe.
/// </remarks>
public interface IOnDemandMasterKeySource
{
    /// <summary>
    /// Makes sure the source's ring holds <paramref name="keyId"/> if the store has it: reads the keys again unless the
    /// ring already holds it or the source read on demand too recently.
    /// </summary>
    /// <param name="keyId">The master key id the data names.</param>
    /// <param name="cancellationToken">Cancels waiting for the read.</param>
    /// <returns>Whether the ring now holds <paramref name="keyId"/>.</returns>
    ValueTask<bool> TryFetchAsync(string keyId, CancellationToken cancellationToken = default);
}
