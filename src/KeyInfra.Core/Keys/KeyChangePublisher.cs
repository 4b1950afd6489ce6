using KeyInfra.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Keys;

/// <summary>
/// Runs after a key change commits: drops the key from this process's caches, then announces the change to every
/// <see cref="IKeyChangeNotifier"/>. A failing notifier is logged; it neither stops the others nor fails the change.
/// </summary>
internal sealed class KeyChangePublisher(IKeyCacheInvalidator caches, IEnumerable<IKeyChangeNotifier> notifiers, ILogger<KeyChangePublisher> logger)
{
    private readonly IKeyChangeNotifier[] _notifiers = notifiers.ToArray();

    /// <summary>
    /// Drops the key from this process's caches without announcing anything: for an operation that found the change
    /// already made (by another process, or by an earlier call that failed after it committed), or whose write may have
    /// committed although it failed. Dropping is always safe; the next use reads storage.
    /// </summary>
    public void InvalidateLocal(Guid tenantId, KeyId keyId) => caches.Invalidate(tenantId, keyId);

    public async Task PublishAsync(KeyChange change, CancellationToken cancellationToken)
    {
        // A new id has nothing cached here; dropping would only disturb loads of other keys in flight.
        if (change.Kind != KeyChangeKind.Created)
        {
            caches.Invalidate(change.TenantId, change.KeyId);
        }

        foreach (var notifier in _notifiers)
        {
            try
            {
                await notifier.OnKeyChangedAsync(change, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.KeyChangeNotifierFailed(logger, notifier.GetType().Name, change.Kind, change.KeyId, change.TenantId, ex);
            }
        }
    }
}
