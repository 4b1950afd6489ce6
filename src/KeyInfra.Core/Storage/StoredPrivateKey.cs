using KeyInfra.Keys;

namespace KeyInfra.Storage;

/// <summary>A private key and the key it belongs to, as listed for re-encryption.</summary>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="KeyId">The key.</param>
/// <param name="PrivateKey">The protected private key.</param>
public sealed record StoredPrivateKey(Guid TenantId, KeyId KeyId, PrivateKeyRecord PrivateKey);
