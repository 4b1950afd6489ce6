namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>applications</c>: a registered application of a tenant.</summary>
internal sealed class ApplicationEntity
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public Guid? HsmSlotId { get; set; }

    public short Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public long Version { get; set; }

    public byte[]? RowMac { get; set; }

    public string? RowMacMasterKeyId { get; set; }
}
