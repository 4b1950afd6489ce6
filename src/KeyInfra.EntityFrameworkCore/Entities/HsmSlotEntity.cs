namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>hsm_slots</c>: a tenant's token in a module, and its user PIN, encrypted.</summary>
internal sealed class HsmSlotEntity
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public string Name { get; set; } = "";

    public Guid ModuleId { get; set; }

    /// <summary>The token's label, or <c>null</c> when it is found by serial (exactly one of the two is set).</summary>
    public string? TokenLabel { get; set; }

    public string? TokenSerial { get; set; }

    /// <summary>The PIN's envelope ciphertext, bound to this row and its token; never the PIN.</summary>
    public byte[] EncryptedPin { get; set; } = [];

    public string MasterKeyId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
