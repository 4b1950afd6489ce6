using System.Collections.Frozen;

namespace KeyInfra.Authorization;

/// <summary>What a user or application may do, as the authorizer read it: a denial, or permissions and the owners whose keys it may use.</summary>
internal sealed record PrincipalAccess
{
    private PrincipalAccess(string? denial, FrozenSet<string> permissions, string[] owners, long expiresAt)
    {
        KeyOwnersTrusted = true;
        Denial = denial;
        Permissions = permissions;
        Owners = owners;
        ReadOnlyOwners = Array.AsReadOnly(owners);
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

    /// <summary><see cref="Owners"/> as handed out in a decision, so no one outside can change what the principal owns.</summary>
    public System.Collections.ObjectModel.ReadOnlyCollection<string> ReadOnlyOwners { get; }

    /// <summary>When to read the principal again (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long ExpiresAt { get; }

    /// <summary>The tenant's change generation this was read under; an entry of an older one is read again.</summary>
    public long Generation { get; init; }

    /// <summary>
    /// Whether a key's owner can be trusted: not while the database still reads key rows without a MAC (a migrating
    /// database), where a writer could name anyone as a key's owner.
    /// </summary>
    public bool KeyOwnersTrusted { get; init; }

    public static PrincipalAccess Denied(string reason, long expiresAt) => new(reason, FrozenSet<string>.Empty, [], expiresAt);

    public static PrincipalAccess Allowed(IEnumerable<string> permissions, string[] owners, long expiresAt)
        => new(null, permissions.ToFrozenSet(StringComparer.Ordinal), owners, expiresAt);

    public bool Owns(string? owner) => Storage.OwnerScope.Includes(Owners, owner);
}
