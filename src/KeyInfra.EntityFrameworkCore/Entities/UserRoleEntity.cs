namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>user_roles</c>: a role a user holds.</summary>
internal sealed class UserRoleEntity
{
    public Guid TenantId { get; set; }

    public Guid UserId { get; set; }

    public string Role { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public byte[]? RowMac { get; set; }

    public string? RowMacMasterKeyId { get; set; }
}
