namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>certificate_authorities</c>: an authority, its key and certificate, its CRL state, under a row MAC.</summary>
internal sealed class CertificateAuthorityEntity
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public string Name { get; set; } = "";

    public Guid KeyId { get; set; }

    public Guid? ParentId { get; set; }

    public string ProfileName { get; set; } = "";

    public byte[] CertificateDer { get; set; } = [];

    public DateTimeOffset NotAfter { get; set; }

    public string? CrlDistributionPoint { get; set; }

    public long CrlNumber { get; set; }

    public byte[]? LastCrlSha256 { get; set; }

    public DateTimeOffset? NextCrlDue { get; set; }

    public long Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public byte[]? RowMac { get; set; }

    public string? RowMacMasterKeyId { get; set; }
}
