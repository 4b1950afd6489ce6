using KeyInfra.Certificates;

namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>certificates</c>: an issued certificate, its DER and the columns queries and indexes need.</summary>
internal sealed class CertificateEntity
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid AuthorityId { get; set; }

    public string SerialNumber { get; set; } = "";

    public string Owner { get; set; } = "";

    public string Subject { get; set; } = "";

    public string SubjectAlternativeNames { get; set; } = "";

    public DateTimeOffset NotBefore { get; set; }

    /// <summary>The end of validity; on PostgreSQL the partition key (monthly).</summary>
    public DateTimeOffset NotAfter { get; set; }

    public CertificateStatus Status { get; set; }

    public int Version { get; set; }

    public Guid? PreviousId { get; set; }

    public DateTimeOffset? RenewedAt { get; set; }

    public string? RenewedBy { get; set; }

    public Guid? RenewedById { get; set; }

    public string ProfileName { get; set; } = "";

    public Guid? KeyId { get; set; }

    public byte[] Der { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public byte[]? RowMac { get; set; }

    public string? RowMacMasterKeyId { get; set; }
}
