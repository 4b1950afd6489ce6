namespace KeyInfra.Keys;

/// <summary>
/// Drops keys from this process's caches of imported public keys and decrypted private keys.
/// </summary>
/// <remarks>
/// <see cref="IKeyStore"/> calls it on every change it makes. Storage providers and caches that learn of
/// changes made by other processes (PostgreSQL LISTEN/NOTIFY, Redis) call it too. Thread-safe.
/// </remarks>
public interface IKeyCacheInvalidator
{
    /// <summary>Drops one key; the next use reloads it from storage.</summary>
    void Invalidate(Guid tenantId, KeyId keyId);

    /// <summary>Drops every key (for example after a lost notification connection).</summary>
    void InvalidateAll();
}
