namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>users</c>: a user of a tenant; the MAC covers every field that decides access.</summary>
internal sealed class UserEntity
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public string Username { get; set; } = "";

    public string? Email { get; set; }

    public string? PasswordHash { get; set; }

    public short Status { get; set; }

    public Guid? ApplicationId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? LastLoginAt { get; set; }

    public long Version { get; set; }

    public byte[]? RowMac { get; set; }

    public string? RowMacMasterKeyId { get; set; }
}
