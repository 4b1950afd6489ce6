namespace KeyInfra.Keys;

/// <summary>
/// Drops keys from this process's caches of imported public keys and opened private keys. Local only: it announces
/// nothing (announcing is <see cref="IKeyChangeNotifier"/>'s job).
/// </summary>
/// <remarks>
/// <see cref="IKeyStore"/> calls it for every change it makes, before the notifiers. Listeners that learn of changes
/// made by other processes (PostgreSQL LISTEN/NOTIFY, a Redis subscription) call it and nothing else, so a received
/// change is never announced again. Thread-safe.
/// </remarks>
public interface IKeyCacheInvalidator
{
    /// <summary>Drops one key; the next use reloads it from storage.</summary>
    void Invalidate(Guid tenantId, KeyId keyId);

    /// <summary>Drops every key (for example after a lost notification connection).</summary>
    void InvalidateAll();
}
