namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>
/// A row of <c>certificate_serials</c>: a serial number an authority has used. Unpartitioned, so its primary key makes
/// serials unique per issuer even where <c>certificates</c> is partitioned; kept after the certificate's retention.
/// </summary>
internal sealed class CertificateSerialEntity
{
    public Guid TenantId { get; set; }

    public Guid AuthorityId { get; set; }

    public string SerialNumber { get; set; } = "";

    public Guid CertificateId { get; set; }
}
