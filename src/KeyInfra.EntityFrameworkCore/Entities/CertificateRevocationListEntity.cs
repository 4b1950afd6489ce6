namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>certificate_revocation_lists</c>: a CRL as signed (DER), one per authority and number.</summary>
internal sealed class CertificateRevocationListEntity
{
    public Guid TenantId { get; set; }

    public Guid AuthorityId { get; set; }

    public long Number { get; set; }

    public DateTimeOffset ThisUpdate { get; set; }

    public DateTimeOffset NextUpdate { get; set; }

    public byte[] Der { get; set; } = [];
}
