using KeyInfra.Certificates;

namespace KeyInfra.Storage;

/// <summary>A certificate as stored in <c>certificates</c>. For implementers of <see cref="ICertificateRepository"/>.</summary>
/// <remarks>
/// <para>Security: the row carries a MAC under the master key (the identity-row subkey, its own table byte) over every
/// field but the MAC itself and its master key id, made again by the engine at each change (a renewal supersedes it, a
/// revocation revokes it). A row whose MAC fails is refused (KI8015) and listed nowhere, so a database writer cannot give
/// a certificate to another owner, mark it superseded or revoked, or point it at another key. The DER is also checked
/// against its issuer's signature before a certificate read back is used; and a row put back as it was before a
/// revocation (its old MAC still valid) does not unrevoke it: the CRL carries every revocation forward (docs/certificates.md).</para>
/// <para><see cref="ToString"/> prints neither the DER nor the MAC.</para>
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

    /// <summary>HMAC-SHA256 of the row (32 bytes); <c>null</c> only without a master key source.</summary>
    public byte[]? Mac { get; init; }

    /// <summary>The master key <see cref="Mac"/> was made under.</summary>
    public string? MacMasterKeyId { get; init; }

    /// <summary>Names the certificate; never prints its DER or MAC.</summary>
    public override string ToString() => $"CertificateRecord({Id}, tenant {TenantId}, authority {AuthorityId}, serial {SerialNumber}, {Status}, version {Version})";
}
