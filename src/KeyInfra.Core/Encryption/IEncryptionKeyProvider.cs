namespace KeyInfra.Encryption;

/// <summary>
/// A source of master keys. It hands out its keys as an immutable <see cref="MasterKeyRing"/> (the current key,
/// which wraps new data keys, and older ones by id, so that data wrapped before a rotation stays readable until
/// it is re-wrapped), leased for the length of one operation.
/// </summary>
/// <remarks>
/// <para>
/// One is registered per host, by a <c>Use…MasterKey()</c> method built on <c>UseMasterKeySource</c>.
/// Implement a source by deriving from <see cref="MasterKeySourceBase"/>, which does the lease counting and the
/// atomic swap when the source refreshes; a source that changes its keys at run time publishes a new ring and
/// never alters or zeroes one that is leased.
/// </para>
/// <para>Implementations are thread-safe.</para>
/// </remarks>
public interface IEncryptionKeyProvider
{
    /// <summary>
    /// Leases the current ring. The caller disposes the lease when its operation is done, and uses the ring's
    /// keys only until then. A ring published meanwhile does not affect a lease already held.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for the source (for example, its first load).</param>
    /// <returns>A lease on the current ring.</returns>
    /// <exception cref="Errors.MasterKeyException">No usable master key is configured, or the source is unreachable.</exception>
    /// <exception cref="ObjectDisposedException">The source was disposed.</exception>
    ValueTask<MasterKeyRingLease> AcquireRingAsync(CancellationToken cancellationToken = default);
}
