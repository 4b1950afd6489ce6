using KeyInfra.Keys;

namespace KeyInfra.Authorization;

/// <summary>What <see cref="IKeyInfraAuthorizer"/> is asked about: an operation, by a caller, in a tenant, on a key.</summary>
/// <remarks>A small value type, so asking costs no allocation on the verification path.</remarks>
public readonly struct AuthorizationRequest
{
    /// <summary>Creates a request.</summary>
    public AuthorizationRequest(KeyInfraOperation operation, Caller? caller, Guid tenantId, KeyId? keyId = null, KeyInfo? key = null, string? ringName = null)
    {
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
    /// The key id the operation names (get, revoke, expire, delete, export, sign, verify, and a log query filtered
    /// by key); <c>null</c> for create, import, list, rotate and unfiltered log reads. The key may not exist.
    /// </summary>
    public KeyId? KeyId { get; }

    /// <summary>
    /// The key as KeyInfra already holds it, for sign and verify: read from the engine's caches, so asking costs
    /// no database read. <c>null</c> when the key does not exist (deny, and the caller learns nothing of it) and for
    /// key-store operations, which are asked about before the key is read.
    /// </summary>
    public KeyInfo? Key { get; }

    /// <summary>The key ring the operation adds to (create or import with a ring name, rotate); otherwise <c>null</c>.</summary>
    public string? RingName { get; }
}
