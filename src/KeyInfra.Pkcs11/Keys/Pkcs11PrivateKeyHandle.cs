using System.Diagnostics;
using KeyInfra.Pkcs11.Sessions;
using KeyInfra.PrivateKeys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using Net.Pkcs11Interop.Common;

namespace KeyInfra.Pkcs11.Keys;

/// <summary>
/// An opened key in a token. Cacheable and thread-safe: it holds no session, only its slot's pool (each signature
/// borrows a session of its own) and the object handle it verified; nothing secret is in it.
/// </summary>
/// <remarks>
/// A stale object handle (the token renewed, or <c>CKR_KEY_HANDLE_INVALID</c>) is found and verified again against the
/// row's public key before it signs; a key deleted from the token then fails with KI6008. If the slot's pool was
/// replaced (its row changed: another PIN, token or module), the key is opened again from the new rows, with the same checks.
/// </remarks>
internal sealed class Pkcs11PrivateKeyHandle(Pkcs11PrivateKeyBackend backend, KeyRecord key, ObjectReference reference, Pkcs11KeyTarget target) : IPrivateKeyHandle
{
    private readonly SemaphoreSlim _reopen = new(1, 1);
    private volatile Pkcs11KeyTarget _target = target;

    public bool IsCacheable => true;

    public async Task<byte[]> SignAsync(ReadOnlyMemory<byte> input, bool inputIsHash, SignatureParameters parameters, CancellationToken cancellationToken = default)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var current = _target;
        byte[] signature;
        try
        {
            signature = await SignWithAsync(current, input, inputIsHash, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            current = await ReopenAsync(current, cancellationToken).ConfigureAwait(false);
            signature = await SignWithAsync(current, input, inputIsHash, parameters, cancellationToken).ConfigureAwait(false);
        }

        backend.Metrics.Signed(key.Spec, startedAt);
        return signature;
    }

    public void Dispose() => _reopen.Dispose();

    private Task<byte[]> SignWithAsync(Pkcs11KeyTarget current, ReadOnlyMemory<byte> input, bool inputIsHash, SignatureParameters parameters, CancellationToken cancellationToken)
    {
        var pool = current.Slot.Pool;
        return backend.WithSecondLooksAsync(key, pool.Description, () => Pkcs11PrivateKeyBackend.RunMappedAsync(pool, pooled =>
        {
            var (mechanism, data) = TokenKeys.PrepareSignature(pooled.Factories, key.Spec, input.Span, inputIsHash, parameters);
            for (var attempt = 0; ; attempt++)
            {
                var handle = current.HandleFor(pooled.Generation)
                    ?? current.Remember(pooled.Generation, backend.FindVerified(pooled, pool.Description, key, reference));
                try
                {
                    return TokenKeys.FinishSignature(key.Spec, pooled.Session.Sign(mechanism, handle, data), parameters);
                }
                catch (Pkcs11Exception e) when (ReturnValues.IsStaleHandle(e.RV) && attempt == 0)
                {
                    backend.Metrics.Failed(e.RV);
                    current.Forget(handle);
                }
            }
        }, cancellationToken), cancellationToken);
    }

    private async Task<Pkcs11KeyTarget> ReopenAsync(Pkcs11KeyTarget stale, CancellationToken cancellationToken)
    {
        await _reopen.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(_target, stale))
            {
                return _target;
            }

            var fresh = await backend.OpenTargetAsync(key, reference, cancellationToken).ConfigureAwait(false);
            _target = fresh;
            return fresh;
        }
        finally
        {
            _reopen.Release();
        }
    }
}
