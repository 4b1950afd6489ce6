using KeyInfra.Storage;

namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>private_keys</c>: one per public key that KeyInfra can sign with.</summary>
internal sealed class PrivateKeyEntity
{
    public Guid KeyId { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The private-key backend that holds the key (<c>software</c> for envelope-encrypted keys).</summary>
    public string Backend { get; set; } = "software";

    public PrivateKeyProtection Protection { get; set; }

    public byte[] KeyMaterial { get; set; } = [];

    public string? MasterKeyId { get; set; }

    /// <summary>The HSM slot whose token holds the key (<c>pkcs11</c> backend), or <c>null</c>; a slot of the same tenant.</summary>
    public Guid? HsmSlotId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
