namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>role_permissions</c>: a permission a role grants in a tenant.</summary>
internal sealed class RolePermissionEntity
{
    public Guid TenantId { get; set; }

    public string Role { get; set; } = "";

    public string Permission { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public byte[]? RowMac { get; set; }

    public string? RowMacMasterKeyId { get; set; }
}
