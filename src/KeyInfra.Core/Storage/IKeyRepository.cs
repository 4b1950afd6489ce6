using KeyInfra.Keys;

namespace KeyInfra.Storage;

/// <summary>
/// Persists keys. Implemented by a storage provider (KeyInfra.EntityFrameworkCore); used by
/// <see cref="IKeyStore"/>, which does the cryptography. Every method is limited to one tenant,
/// except those made for maintenance across tenants (<see cref="ListPrivateKeysAsync"/>).
/// </summary>
/// <remarks>Thread-safe; implementations open a unit of work per call.</remarks>
public interface IKeyRepository
{
    /// <summary>
    /// Adds a key and its private key in one transaction.
    /// Returns <c>false</c>, and adds nothing, if the ring already has a key with that version.
    /// </summary>
    Task<bool> AddAsync(KeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>Finds a key by id in a tenant, with its private key.</summary>
    Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds a key by id in a tenant; without <paramref name="includePrivateKey"/>, no private key material is read:
    /// <see cref="KeyRecord.PrivateKey"/> is <c>null</c> and <see cref="KeyRecord.HasPrivateKey"/> says whether there is one.
    /// </summary>
    Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, bool includePrivateKey, CancellationToken cancellationToken = default);

    /// <summary>The newest version of a ring in a tenant, or <c>null</c> if the ring has no keys.</summary>
    Task<KeyRecord?> FindLatestInRingAsync(Guid tenantId, string ringName, CancellationToken cancellationToken = default);

    /// <summary>
    /// The keys of a tenant whose stored SPKI SHA-256 (<see cref="KeyRecord.SpkiSha256"/>) or JWK thumbprint
    /// (<see cref="KeyRecord.JwkThumbprint"/>) equals the lookup's, in id order, at most <paramref name="limit"/>.
    /// </summary>
    /// <remarks>The caller checks every returned record against its public key; a provider only compares the stored values.</remarks>
    Task<IReadOnlyList<KeyRecord>> FindByPublicKeyAsync(Guid tenantId, PublicKeyLookup lookup, int limit, CancellationToken cancellationToken = default);

    /// <summary>Lists keys of a tenant, with their private keys, in id order after <see cref="KeyQuery.After"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists keys as <see cref="ListAsync(Guid, KeyQuery, int, CancellationToken)"/> does; without
    /// <paramref name="includePrivateKey"/>, no private key material is read (<see cref="KeyRecord.PrivateKey"/> is
    /// <c>null</c>, <see cref="KeyRecord.HasPrivateKey"/> is set).
    /// </summary>
    Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, bool includePrivateKey, CancellationToken cancellationToken = default);

    /// <summary>Saves a key's lifecycle fields: status, expiry, revocation time and reason. Returns <c>false</c> if there is no such key.</summary>
    Task<bool> UpdateLifecycleAsync(KeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>Replaces a key's protected private key (re-encryption, re-wrapping). Returns <c>false</c> if there is no such key.</summary>
    Task<bool> UpdatePrivateKeyAsync(Guid tenantId, KeyId id, PrivateKeyRecord privateKey, CancellationToken cancellationToken = default);

    /// <summary>Deletes a key with no verification records.</summary>
    Task<DeleteKeyOutcome> DeleteAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default);

    /// <summary>Every stored private key, across tenants, in key id order (for re-encryption).</summary>
    IAsyncEnumerable<StoredPrivateKey> ListPrivateKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>The ids of the master keys that wrapped stored private keys, across tenants.</summary>
    Task<IReadOnlyList<string>> ListMasterKeyIdsInUseAsync(CancellationToken cancellationToken = default);
}
