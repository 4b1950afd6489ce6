namespace KeyInfra.Keys;

/// <summary>
/// The key registry: creates, imports, finds, rotates, revokes, expires and deletes keys.
/// </summary>
/// <remarks>
/// Implementations are thread-safe and registered as singletons. Changes take effect for
/// verification in this process at once (the imported-key cache is invalidated).
/// All keys belong to the tenant of the current <see cref="Tenancy.ITenantContext"/>.
/// </remarks>
public interface IKeyStore
{
    /// <summary>
    /// Generates a key pair with the private-key backend <see cref="CreateKeyRequest.Backend"/> names (by default in
    /// software, the private key stored encrypted under the master key).
    /// </summary>
    /// <exception cref="ArgumentException">The request is invalid (name, metadata sizes, expiry in the past, a PSS salt that does not fit the key).</exception>
    Task<KeyInfo> CreateAsync(CreateKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Records an existing public key for verification.</summary>
    /// <exception cref="Errors.KeyFormatException">
    /// The key data is malformed, unsupported or does not match <see cref="ImportKeyRequest.ExpectedSpec"/>; or the format
    /// cannot be imported (<see cref="KeyFormat.Jwk"/>, an undefined value: KI1011).
    /// </exception>
    /// <exception cref="ArgumentException">The request is invalid (name, metadata sizes, expiry in the past, a PSS salt that does not fit the key).</exception>
    Task<KeyInfo> ImportAsync(ImportKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Finds a key by id; <c>null</c> if there is none (in this tenant).</summary>
    Task<KeyInfo?> GetAsync(KeyId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds the keys of this tenant with a public key: by its SPKI SHA-256 fingerprint, by its RFC 7638 JWK thumbprint,
    /// or by the key itself (<see cref="PublicKeyLookup.ForPublicKey"/>). Oldest first, whatever their status (check
    /// <see cref="KeyInfo.EffectiveStatus"/>); at most <see cref="PublicKeyLookup.MaxMatches"/>. Empty when there is none.
    /// </summary>
    /// <remarks>Each match is checked against its stored public key, so a row whose fingerprint was altered is refused (KI4101), never returned.</remarks>
    Task<IReadOnlyList<KeyInfo>> FindByPublicKeyAsync(PublicKeyLookup lookup, CancellationToken cancellationToken = default);

    /// <summary>Lists keys, oldest first, one page at a time.</summary>
    Task<KeyPage> ListAsync(KeyQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the next version of a ring: a new key of the same type as the ring's newest version.
    /// Older versions stay active, and keep verifying, until they are revoked.
    /// </summary>
    /// <exception cref="Errors.UnknownKeyException">The ring has no keys.</exception>
    Task<KeyInfo> RotateAsync(string ringName, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key. Revocation is final; revoking a revoked key keeps the first revocation.</summary>
    /// <exception cref="Errors.UnknownKeyException">There is no such key.</exception>
    Task<KeyInfo> RevokeAsync(KeyId id, RevocationReason reason, CancellationToken cancellationToken = default);

    /// <summary>Marks a key expired now. A revoked key stays revoked.</summary>
    /// <exception cref="Errors.UnknownKeyException">There is no such key.</exception>
    Task<KeyInfo> ExpireAsync(KeyId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a key that was never used: one with no verification records. A used key cannot be
    /// deleted (its records must stay explainable); revoke it instead.
    /// </summary>
    /// <returns><c>false</c> if there was no such key.</returns>
    /// <exception cref="Errors.KeyInUseException">The key has verification records.</exception>
    Task<bool> DeleteAsync(KeyId id, CancellationToken cancellationToken = default);

    /// <summary>Exports a key's public key: PEM and JWK as UTF-8 text, DER and raw as bytes.</summary>
    /// <exception cref="Errors.UnknownKeyException">There is no such key.</exception>
    /// <exception cref="NotSupportedException">Raw export of an RSA key.</exception>
    Task<byte[]> ExportPublicKeyAsync(KeyId id, KeyFormat format, CancellationToken cancellationToken = default);
}
