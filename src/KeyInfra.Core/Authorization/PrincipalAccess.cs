using System.Collections.Frozen;

namespace KeyInfra.Authorization;

/// <summary>What a user or application may do, as the authorizer read it: a denial, or permissions and the owners whose keys it may use.</summary>
internal sealed class PrincipalAccess
{
    private PrincipalAccess(string? denial, FrozenSet<string> permissions, string[] owners, long expiresAt)
    {
        Denial = denial;
        Permissions = permissions;
        Owners = owners;
        ExpiresAt = expiresAt;
        TenantWide = permissions.Contains(KeyInfraPermissions.ManageUsers);
    }

    /// <summary>Why every call is denied (unknown, tampered, not active); <c>null</c> when the principal may act.</summary>
    public string? Denial { get; }

    public FrozenSet<string> Permissions { get; }

    /// <summary>
    /// Whether the principal acts on every key of the tenant: whoever may manage users can give themselves any role, so
    /// scoping them to their own keys would protect nothing.
    /// </summary>
    public bool TenantWide { get; }

    /// <summary>The <see cref="Keys.KeyInfo.Owner"/> values of the keys the principal may use: its own, and its application's.</summary>
    public string[] Owners { get; }

    /// <summary>When to read the principal again (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long ExpiresAt { get; }

    public static PrincipalAccess Denied(string reason, long expiresAt) => new(reason, FrozenSet<string>.Empty, [], expiresAt);

    public static PrincipalAccess Allowed(IEnumerable<string> permissions, string[] owners, long expiresAt)
        => new(null, permissions.ToFrozenSet(StringComparer.Ordinal), owners, expiresAt);

    public bool Owns(string? owner) => owner is not null && Array.IndexOf(Owners, owner) >= 0;
}
