namespace KeyInfra.Encryption;

/// <summary>
/// The base of a master key source: holds the current <see cref="MasterKeyRing"/>, leases it to operations,
/// swaps it atomically when the source publishes a new one, and zeroes a superseded ring when its last lease is
/// released. A source only loads its keys (<see cref="LoadRingAsync"/>) and, if they change at run time,
/// publishes the new ones (<see cref="Publish"/>).
/// </summary>
/// <remarks>
/// <para>
/// The first <see cref="AcquireRingAsync"/> loads the ring, once for all concurrent callers; a load that fails or
/// is cancelled is not remembered, so the next call tries again (a source that was briefly unreachable recovers).
/// Once a ring is published, acquiring a lease takes no lock and does no I/O.
/// </para>
/// <para>
/// A source that refreshes (from Vault, AWS, Azure, …) builds a complete new ring and calls <see cref="Publish"/>,
/// from a timer or wherever it learns of a change; operations that hold the old ring finish with it. Publish
/// every key that data may still be wrapped under, not only the new current one.
/// </para>
/// <para>Thread-safe. Disposing the source releases its ring; keys still leased are zeroed when their leases go.</para>
/// </remarks>
public abstract class MasterKeySourceBase : IEncryptionKeyProvider, IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private MasterKeyRing? _ring;
    private int _disposed;

    /// <inheritdoc />
    public ValueTask<MasterKeyRingLease> AcquireRingAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return TryLeaseCurrent() is { } lease ? ValueTask.FromResult(lease) : LoadAndLeaseAsync(cancellationToken);
    }

    /// <summary>Releases the current ring (see <see cref="Dispose(bool)"/>).</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Loads the source's keys into a new ring. Called by the first <see cref="AcquireRingAsync"/> (one call at a
    /// time), and again after a load failed; not called once a ring is published.
    /// </summary>
    /// <param name="cancellationToken">The token of the caller that triggered the load.</param>
    /// <returns>A new ring, not published: the base publishes it.</returns>
    /// <exception cref="Errors.MasterKeyException">The source has no usable keys or cannot be reached; the message says what to do.</exception>
    protected abstract ValueTask<MasterKeyRing> LoadRingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="ring"/> the current ring, atomically: leases acquired from now on get it; leases on the
    /// ring it replaces stay valid, and that ring's keys are zeroed when the last of them is released.
    /// </summary>
    /// <param name="ring">A new ring; the source takes ownership of it (do not dispose it).</param>
    /// <exception cref="InvalidOperationException">The ring was published before or disposed.</exception>
    /// <exception cref="ObjectDisposedException">The source was disposed (the ring is then released too).</exception>
    protected void Publish(MasterKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ring.MarkPublished();
        Interlocked.Exchange(ref _ring, ring)?.Release();
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Disposed meanwhile: Dispose may have run before the exchange, so the ring just published is released here.
            Interlocked.Exchange(ref _ring, null)?.Release();
            throw new ObjectDisposedException(GetType().FullName);
        }
    }

    /// <summary>Releases the current ring when <paramref name="disposing"/>; later calls to the source throw <see cref="ObjectDisposedException"/>.</summary>
    /// <param name="disposing"><c>true</c> from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Interlocked.Exchange(ref _ring, null)?.Release();
        }
    }

    /// <summary>A lease on the published ring without loading one: <c>null</c> if none is published (for sources that publish rings they compose).</summary>
    internal MasterKeyRingLease? TryLeasePublished() => TryLeaseCurrent();

    private MasterKeyRingLease? TryLeaseCurrent()
    {
        while (Volatile.Read(ref _ring) is { } ring)
        {
            if (ring.TryLease() is { } lease)
            {
                return lease;
            }

            // Superseded and released between the read and the lease: Publish has already put its successor in place.
            if (ReferenceEquals(Volatile.Read(ref _ring), ring))
            {
                return null;
            }
        }

        return null;
    }

    private async ValueTask<MasterKeyRingLease> LoadAndLeaseAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (TryLeaseCurrent() is { } published)
            {
                return published;
            }

            var ring = await LoadRingAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"{GetType().Name}.LoadRingAsync returned null; it must return a ring or throw.");
            Publish(ring);
            return TryLeaseCurrent() ?? throw new ObjectDisposedException(GetType().FullName);
        }
        finally
        {
            _loading.Release();
        }
    }
}
