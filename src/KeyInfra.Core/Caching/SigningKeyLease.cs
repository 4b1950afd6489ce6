using KeyInfra.Keys;
using KeyInfra.PrivateKeys;

namespace KeyInfra.Caching;

/// <summary>
/// A reference-counted opened private key (a backend's handle). The cache holds one reference; each signer holds one
/// while it signs. The handle is disposed (and a software key zeroed) when the last reference goes, so eviction never
/// pulls a key from under a running signature.
/// </summary>
internal sealed class SigningKeyLease
{
    private int _references = 1;

    public SigningKeyLease(KeyInfo info, IPrivateKeyHandle handle)
    {
        Info = info;
        Handle = handle;
    }

    public KeyInfo Info { get; }

    public IPrivateKeyHandle Handle { get; }

    public bool TryAcquire()
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Handle.Dispose();
        }
    }
}
