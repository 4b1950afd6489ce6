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

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
