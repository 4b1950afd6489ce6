using System.Security.Cryptography.X509Certificates;

namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>revoked_certificates</c>: one revocation, what a CRL lists.</summary>
internal sealed class RevokedCertificateEntity
{
    public Guid CertificateId { get; set; }

    public Guid TenantId { get; set; }

    public Guid AuthorityId { get; set; }

    public string SerialNumber { get; set; } = "";

    public X509RevocationReason Reason { get; set; }

    public DateTimeOffset RevokedAt { get; set; }

    public string RevokedBy { get; set; } = "";

    public byte[]? RowMac { get; set; }

    public string? RowMacMasterKeyId { get; set; }
}
