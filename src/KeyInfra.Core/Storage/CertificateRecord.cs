using KeyInfra.Certificates;

namespace KeyInfra.Storage;

/// <summary>A certificate as stored in <c>certificates</c>. For implementers of <see cref="ICertificateRepository"/>.</summary>
/// <remarks>
/// Security: nothing here is trusted for what the certificate says. <see cref="Der"/> is signed by its issuer, and
/// KeyInfra checks that signature with the issuer's key before it uses a certificate read back; the other columns
/// (subject, names, validity, serial) are copies of the DER kept for queries and indexes. A writer who changes the
/// status from revoked back to active does not unrevoke it: the CRL carries every revocation forward (docs/certificates.md).
/// </remarks>
public sealed record CertificateRecord
{
    /// <summary>The certificate's id (UUIDv7).</summary>
    public required Guid Id { get; init; }

    /// <summary>The owning tenant.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>The authority that issued it.</summary>
    public required Guid AuthorityId { get; init; }

    /// <summary>The serial number, lower-case hexadecimal of its DER integer's bytes.</summary>
    public required string SerialNumber { get; init; }

    /// <summary>Whose certificate it is (a caller's <see cref="Authorization.Caller.StableId"/>); 1–200 characters.</summary>
    public required string Owner { get; init; }

    /// <summary>The subject's distinguished name as text (RFC 4514 order as the platform prints it).</summary>
    public required string Subject { get; init; }

    /// <summary>The subject alternative names, DNS names and IP addresses, comma-separated.</summary>
    public required string SubjectAlternativeNames { get; init; }

    /// <summary>The start of its validity (UTC).</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>The end of its validity (UTC); on PostgreSQL the partition key.</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>Its status.</summary>
    public required CertificateStatus Status { get; init; }

    /// <summary>1 when first issued, the renewed certificate's version + 1 for a renewal.</summary>
    public required int Version { get; init; }

    /// <summary>The certificate this one renewed; <c>null</c> for a first issue.</summary>
    public Guid? PreviousId { get; init; }

    /// <summary>When it was renewed (its successor issued); <c>null</c> while it has not been.</summary>
    public DateTimeOffset? RenewedAt { get; init; }

    /// <summary>Who renewed it (a caller's stable id); <c>null</c> while it has not been.</summary>
    public string? RenewedBy { get; init; }

    /// <summary>The certificate that renewed it; <c>null</c> while it has not been.</summary>
    public Guid? RenewedById { get; init; }

    /// <summary>The profile it was issued under.</summary>
    public required string ProfileName { get; init; }

    /// <summary>The KeyInfra key whose public key it certifies; <c>null</c> for one issued from a signing request.</summary>
    public Keys.KeyId? KeyId { get; init; }

    /// <summary>The certificate, DER.</summary>
    public required byte[] Der { get; init; }

    /// <summary>When it was issued (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
