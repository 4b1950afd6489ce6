namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>application_roles</c>: a role an application holds.</summary>
internal sealed class ApplicationRoleEntity
{
    public Guid TenantId { get; set; }

    public Guid ApplicationId { get; set; }

    public string Role { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public byte[]? RowMac { get; set; }

    public string? RowMacMasterKeyId { get; set; }
}
