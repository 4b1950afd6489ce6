using KeyInfra.Keys;

namespace KeyInfra.Storage;

/// <summary>
/// Persists keys. Implemented by a storage provider (KeyInfra.EntityFrameworkCore); used by
/// <see cref="IKeyStore"/>, which does the cryptography. Every method is limited to one tenant,
/// except those made for maintenance across tenants (<see cref="ListPrivateKeysAsync"/>, <see cref="ListKeyRowsAsync"/>,
/// <see cref="ListMasterKeyIdsInUseAsync"/>).
/// </summary>
/// <remarks>
/// <para>Every provider keeps this contract (the storage conformance suite tests each point):</para>
/// <list type="bullet">
/// <item><description>A tenant's methods see and change only that tenant's keys: a key of another tenant is
/// not found, not listed, not updated and not deleted.</description></item>
/// <item><description>A store that cannot read all it needs throws, never returns part: a row it cannot parse
/// (an unknown stored value, a malformed field) fails the whole call with a <see cref="Errors.KeyInfraException"/>
/// of code <see cref="Errors.ErrorCodes.StoredDataInvalid"/>; no list leaves the row out, no record comes back with
/// the field guessed.</description></item>
/// <item><description>A store keeps each row's MAC (<see cref="KeyRecord.RowMac"/>, <see cref="KeyRecord.RowMacMasterKeyId"/>)
/// as given and never computes or checks it: KeyInfra.Core seals every write and checks every read. A read without
/// private key material still says whether there is a private key and which backend holds it
/// (<see cref="KeyRecord.PrivateKeyBackend"/>), because the MAC covers both.</description></item>
/// <item><description>What is stored comes back as it was given; times come back in UTC, to at least the
/// microsecond. A provider whose text columns cannot hold a character (PostgreSQL: NUL) refuses it with an
/// <see cref="ArgumentException"/> before it writes anything, and a filter holding it matches nothing.</description></item>
/// </list>
/// <para>Thread-safe; implementations open a unit of work per call.</para>
/// </remarks>
public interface IKeyRepository
{
    /// <summary>
    /// Adds a key and its private key in one transaction: both rows or neither.
    /// Returns <c>false</c>, and adds nothing, if the tenant's ring already has a key with that version
    /// (<see cref="IKeyStore"/> then retries with the next version); the same ring name and version in another
    /// tenant is no clash. A key id that is already stored throws (the provider's update exception), it never
    /// returns <c>false</c>.
    /// </summary>
    Task<bool> AddAsync(KeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>Finds a key, with its private key, by id in a tenant; <c>null</c> if the tenant has no such key.</summary>
    Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds a key by id in a tenant; without <paramref name="includePrivateKey"/>, no private key material is read:
    /// <see cref="KeyRecord.PrivateKey"/> is <c>null</c>, <see cref="KeyRecord.HasPrivateKey"/> says whether there is one
    /// and <see cref="KeyRecord.PrivateKeyBackend"/> which backend holds it.
    /// </summary>
    Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, bool includePrivateKey, CancellationToken cancellationToken = default);

    /// <summary>The highest version of a ring in a tenant, or <c>null</c> if the tenant's ring has no keys.</summary>
    Task<KeyRecord?> FindLatestInRingAsync(Guid tenantId, string ringName, CancellationToken cancellationToken = default);

    /// <summary>
    /// The keys of a tenant whose stored SPKI SHA-256 (<see cref="KeyRecord.SpkiSha256"/>) or JWK thumbprint
    /// (<see cref="KeyRecord.JwkThumbprint"/>) equals the lookup's, in id order, at most <paramref name="limit"/>.
    /// </summary>
    /// <remarks>The caller checks every returned record against its public key; a provider only compares the stored values.</remarks>
    Task<IReadOnlyList<KeyRecord>> FindByPublicKeyAsync(Guid tenantId, PublicKeyLookup lookup, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists keys of a tenant, with their private keys, that match every filter of <paramref name="query"/> (exact,
    /// case-sensitive), in id order (<see cref="Guid.CompareTo(Guid)"/>, which for UUIDv7 ids is creation order) after
    /// <see cref="KeyQuery.After"/>, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists keys as <see cref="ListAsync(Guid, KeyQuery, int, CancellationToken)"/> does; without
    /// <paramref name="includePrivateKey"/>, no private key material is read (<see cref="KeyRecord.PrivateKey"/> is
    /// <c>null</c>, <see cref="KeyRecord.HasPrivateKey"/> is set).
    /// </summary>
    Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, bool includePrivateKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves a key's lifecycle fields as a conditional update (compare-and-set on the row version): status, expiry,
    /// revocation time and reason, and the row's MAC (<see cref="KeyRecord.RowMac"/>, <see cref="KeyRecord.RowMacMasterKeyId"/>),
    /// which KeyInfra computed over the record as given, <see cref="KeyRecord.Version"/> included. Every other field of
    /// <paramref name="key"/> is ignored.
    /// </summary>
    /// <remarks>
    /// The update applies only if the stored row's version is <see cref="KeyRecord.Version"/> − 1 and the stored row is
    /// not revoked; it then sets the stored version to <see cref="KeyRecord.Version"/>, in one statement. Revocation is
    /// one-way in the data: no call changes a revoked row, so a revoked key never becomes active (or expired) again
    /// through the library, and concurrent revocations keep the first one (its time and reason). A caller whose
    /// update did not apply reads the row again and decides from what it finds.
    /// </remarks>
    /// <returns>
    /// <c>true</c> if the row was updated; <c>false</c>, changing nothing, if the key's tenant has no such key, the
    /// stored version is another, or the stored row is revoked.
    /// </returns>
    Task<bool> UpdateLifecycleAsync(KeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a new MAC for a key row (authenticating a row written before row authentication, or re-authenticating
    /// it under the current master key), only if the stored row's version is still <paramref name="version"/>; no
    /// other field changes, the version included (the MAC covers it).
    /// </summary>
    /// <returns><c>true</c> if the MAC was stored; <c>false</c>, changing nothing, if there is no such key or its version moved on.</returns>
    Task<bool> UpdateRowMacAsync(Guid tenantId, KeyId id, long version, byte[] rowMac, string masterKeyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every key row, across tenants, each once, without private key material (<see cref="KeyRecord.PrivateKeyBackend"/>
    /// and <see cref="KeyRecord.HasPrivateKey"/> are set): in key id order within a tenant, read in pages so no reader
    /// stays open while the caller writes. The order of the tenants is the provider's. For the row authentication pass.
    /// </summary>
    IAsyncEnumerable<KeyRecord> ListKeyRowsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a key's protected private key (re-encryption, re-wrapping, another backend), or gives a key that had
    /// none one; <see cref="PrivateKeyRecord.HsmSlotId"/> is replaced with the rest. Returns <c>false</c>, and changes nothing, if the tenant has no such key.
    /// </summary>
    Task<bool> UpdatePrivateKeyAsync(Guid tenantId, KeyId id, PrivateKeyRecord privateKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a key and its private key, unless it is in use: <see cref="DeleteKeyOutcome.InUse"/>, deleting nothing,
    /// if a verification record or batch item of <em>any</em> tenant names the key as found (the in-use check spans
    /// tenants, as the log's foreign keys do); <see cref="DeleteKeyOutcome.NotFound"/> if the tenant has no such key.
    /// </summary>
    Task<DeleteKeyOutcome> DeleteAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every stored private key, across tenants, each once (for re-encryption): in key id order within a tenant; the
    /// order of the tenants is the provider's (a store under row-level security goes tenant by tenant).
    /// </summary>
    IAsyncEnumerable<StoredPrivateKey> ListPrivateKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The ids of the master keys that wrapped stored private keys, made stored key row MACs
    /// (<see cref="KeyRecord.RowMacMasterKeyId"/>) or wrapped stored HSM slot PINs (<see cref="HsmSlotRecord.MasterKeyId"/>),
    /// across tenants: each once, sorted (ordinal).
    /// </summary>
    Task<IReadOnlyList<string>> ListMasterKeyIdsInUseAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// How many stored things each master key made, by kind, across tenants: private keys it wraps, key row MACs, HSM
    /// slot PINs, verification log digests and retention checkpoints. For <c>master-key status</c> and <c>retire</c>: a
    /// key is needed while any count names it. Ids and counts only; no row is revealed.
    /// </summary>
    /// <returns>One entry per master key id and kind with a count of at least 1, in no particular order.</returns>
    Task<IReadOnlyList<MasterKeyUseCount>> CountMasterKeyUsesAsync(CancellationToken cancellationToken = default);
}
