using System.Security.Cryptography.X509Certificates;

namespace KeyInfra.Storage;

/// <summary>A revocation as stored in <c>revoked_certificates</c>, one per revoked certificate; what a CRL lists.</summary>
/// <param name="CertificateId">The revoked certificate.</param>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="AuthorityId">Its issuer.</param>
/// <param name="SerialNumber">Its serial number (lower-case hexadecimal).</param>
/// <param name="Reason">Why (RFC 5280, section 5.3.1).</param>
/// <param name="RevokedAt">When (UTC).</param>
/// <param name="RevokedBy">Who (a caller's stable id).</param>
public sealed record RevokedCertificateRecord(
    Guid CertificateId,
    Guid TenantId,
    Guid AuthorityId,
    string SerialNumber,
    X509RevocationReason Reason,
    DateTimeOffset RevokedAt,
    string RevokedBy);
