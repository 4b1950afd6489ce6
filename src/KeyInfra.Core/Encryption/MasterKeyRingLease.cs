namespace KeyInfra.Encryption;

/// <summary>
/// A hold on one <see cref="MasterKeyRing"/>: while it is not disposed, the ring's keys stay intact, even if the
/// source publishes a newer ring meanwhile. Obtained from <see cref="IEncryptionKeyProvider.AcquireRingAsync"/>;
/// dispose it as soon as the operation that needs the keys is done (one encryption, decryption, re-wrap or check).
/// </summary>
/// <remarks>
/// Disposing twice is harmless. A lease is meant for one operation: holding one for long keeps a superseded
/// ring's keys in memory. Leases are counted by the ring, so a ring is zeroed only when its last lease goes.
/// Thread-safe.
/// </remarks>
public sealed class MasterKeyRingLease : IDisposable, IAsyncDisposable
{
    private MasterKeyRing? _ring;

    internal MasterKeyRingLease(MasterKeyRing ring)
    {
        _ring = ring;
    }

    /// <summary>The leased ring.</summary>
    /// <exception cref="ObjectDisposedException">The lease was disposed.</exception>
    public MasterKeyRing Ring => Volatile.Read(ref _ring) ?? throw new ObjectDisposedException(nameof(MasterKeyRingLease));

    /// <summary>Releases the hold on the ring; if the ring was superseded and this was its last lease, its keys are zeroed.</summary>
    public void Dispose() => Interlocked.Exchange(ref _ring, null)?.Release();

    /// <summary>Same as <see cref="Dispose"/> (releasing a lease never blocks).</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
