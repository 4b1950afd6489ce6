using System.Security.Cryptography.X509Certificates;

namespace KeyInfra.Storage;

/// <summary>A revocation as stored in <c>revoked_certificates</c>, one per revoked certificate; what a CRL lists.</summary>
/// <remarks>
/// Security: the row carries a MAC under the master key (the identity-row subkey, its own table byte) over every field
/// but the MAC and its master key id. A revocation whose MAC fails is left out of the CRL and counts for nothing, so a
/// database writer cannot make KeyInfra sign a revocation it never made. <see cref="ToString"/> prints no MAC.
/// </remarks>
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
    string RevokedBy)
{
    /// <summary>HMAC-SHA256 of the row (32 bytes); <c>null</c> only without a master key source.</summary>
    public byte[]? Mac { get; init; }

    /// <summary>The master key <see cref="Mac"/> was made under.</summary>
    public string? MacMasterKeyId { get; init; }

    /// <summary>Names the revocation; never prints the MAC.</summary>
    public override string ToString() => $"RevokedCertificateRecord({CertificateId}, tenant {TenantId}, authority {AuthorityId}, serial {SerialNumber}, {Reason}, {RevokedAt:O})";
}
