using KeyInfra.Encryption;

namespace KeyInfra.Core.Tests.Encryption;

/// <summary>
/// Passes leases through from a real source, but holds the next acquisition after it got its lease until the test
/// opens the gate: the test can change the source between an operation's acquire and its use of the keys.
/// </summary>
internal sealed class GatedKeyProvider(IEncryptionKeyProvider inner) : IEncryptionKeyProvider
{
    private readonly TaskCompletionSource _acquired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed = 1;

    /// <summary>Completes when the held acquisition has its lease.</summary>
    public Task Acquired => _acquired.Task;

    /// <summary>Lets the held acquisition return its lease.</summary>
    public void Open() => _open.TrySetResult();

    public async ValueTask<MasterKeyRingLease> AcquireRingAsync(CancellationToken cancellationToken = default)
    {
        var lease = await inner.AcquireRingAsync(cancellationToken);
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _acquired.TrySetResult();
            await _open.Task.WaitAsync(cancellationToken);
        }

        return lease;
    }
}
