using KeyInfra.Identity;

namespace KeyInfra.Storage;

/// <summary>A role held by a user (<c>user_roles</c>) or an application (<c>application_roles</c>).</summary>
/// <remarks>Security: the row carries a MAC over tenant, holder and role; a row whose MAC fails grants nothing (and is logged at Error).</remarks>
public sealed record RoleAssignmentRecord
{
    /// <summary>The owning tenant.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>Which table the row is in.</summary>
    public required PrincipalKind Kind { get; init; }

    /// <summary>The user's or application's id.</summary>
    public required Guid PrincipalId { get; init; }

    /// <summary>The role (a <c>roles</c> row of the tenant).</summary>
    public required string Role { get; init; }

    /// <summary>When the role was given (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The row's MAC; <c>null</c> only without a master key source.</summary>
    public byte[]? RowMac { get; init; }

    /// <summary>The master key whose identity subkey made <see cref="RowMac"/>.</summary>
    public string? RowMacMasterKeyId { get; init; }

    /// <summary>The holder and the role.</summary>
    public override string ToString() => $"RoleAssignmentRecord(tenant {TenantId}, {Kind} {PrincipalId} holds '{Role}')";
}
