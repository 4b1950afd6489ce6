namespace KeyInfra.Storage;

/// <summary>A permission a role of a tenant grants, as stored in <c>role_permissions</c>.</summary>
/// <remarks>Security: the row carries a MAC over tenant, role and permission; a row whose MAC fails grants nothing (and is logged at Error).</remarks>
public sealed record RoleGrantRecord
{
    /// <summary>The owning tenant.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>The role (a <c>roles</c> row of the tenant).</summary>
    public required string Role { get; init; }

    /// <summary>The permission, one of <see cref="Authorization.KeyInfraPermissions.All"/>.</summary>
    public required string Permission { get; init; }

    /// <summary>When the grant was added (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The row's MAC; <c>null</c> only without a master key source.</summary>
    public byte[]? RowMac { get; init; }

    /// <summary>The master key whose identity subkey made <see cref="RowMac"/>.</summary>
    public string? RowMacMasterKeyId { get; init; }

    /// <summary>The role and the permission.</summary>
    public override string ToString() => $"RoleGrantRecord(tenant {TenantId}, '{Role}' grants '{Permission}')";
}
