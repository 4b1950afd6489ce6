using KeyInfra.Keys;

namespace KeyInfra.Authorization;

/// <summary>What <see cref="IKeyInfraAuthorizer"/> is asked about: an operation, by a caller, in a tenant, on a key.</summary>
/// <remarks>A small value type, so asking costs no allocation on the verification path.</remarks>
public readonly struct AuthorizationRequest
{
    /// <summary>Creates a request.</summary>
    public AuthorizationRequest(KeyInfraOperation operation, Caller? caller, Guid tenantId, KeyId? keyId = null, KeyInfo? key = null, string? ringName = null, string? owner = null)
    {
        Owner = owner;
        Operation = operation;
        Caller = caller;
        TenantId = tenantId;
        KeyId = keyId;
        Key = key;
        RingName = ringName;
    }

    /// <summary>The operation.</summary>
    public KeyInfraOperation Operation { get; }

    /// <summary>The current caller (<see cref="ICallerContext.Current"/>); <c>null</c> when the host set none.</summary>
    public Caller? Caller { get; }

    /// <summary>The tenant the operation runs in (<see cref="Tenancy.ITenantContext.TenantId"/>).</summary>
    public Guid TenantId { get; }

    /// <summary>
    /// The key id the operation names (get, revoke, expire, delete, export, sign, verify, a log query filtered by key,
    /// and for rotate the ring's latest version); <c>null</c> for create, import, list and unfiltered log reads. The key
    /// may not exist.
    /// </summary>
    public KeyId? KeyId { get; }

    /// <summary>
    /// The key the operation acts on, as KeyInfra holds it: for sign and verify read from the engine's caches (so asking
    /// costs no database read); for get, revoke, expire, delete, export and a log query filtered by key, the
    /// authenticated row; for rotate, and for create or import into a ring that exists, the ring's latest version.
    /// <c>null</c> when the key does not exist (an authorizer that scopes callers to their own keys denies, and the caller
    /// learns nothing of it), for list, and for create and import without a ring (or into a new one).
    /// </summary>
    public KeyInfo? Key { get; }

    /// <summary>
    /// The owner the operation names: the owner a created or imported key will have (<see cref="Keys.CreateKeyRequest.Owner"/>,
    /// which defaults to the caller's <see cref="Caller.StableId"/>), or the owner filter of a list
    /// (<see cref="Keys.KeyQuery.Owner"/>); otherwise <c>null</c>.
    /// </summary>
    public string? Owner { get; }

    /// <summary>The key ring the operation adds to (create or import with a ring name, rotate); otherwise <c>null</c>.</summary>
    public string? RingName { get; }
}
