using KeyInfra.Keys;

namespace KeyInfra.Caching;

/// <summary>Invalidates both of this process's key caches.</summary>
internal sealed class KeyCacheInvalidator(ImportedKeyCache publicKeys, SigningKeyCache signingKeys) : IKeyCacheInvalidator
{
    public void Invalidate(Guid tenantId, KeyId keyId)
    {
        publicKeys.Invalidate(tenantId, keyId);
        signingKeys.Invalidate(tenantId, keyId);
    }

    public void InvalidateAll()
    {
        publicKeys.InvalidateAll();
        signingKeys.InvalidateAll();
    }
}
