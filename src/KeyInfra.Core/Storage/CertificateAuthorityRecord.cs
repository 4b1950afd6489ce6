namespace KeyInfra.Storage;

/// <summary>A certificate authority as stored in <c>certificate_authorities</c>. For implementers of <see cref="ICertificateRepository"/>.</summary>
/// <remarks>
/// <para>Security: the row carries a MAC under the master key (the identity-row subkey, its own table byte) over every
/// field but the MAC itself and its master key id: the key that signs, the certificate, the parent, the profile, the
/// CRL number and the last CRL's hash. A row whose MAC fails is never used, so a database writer cannot point an
/// authority at another key or certificate, nor roll its CRL back by deleting the last one (docs/certificates.md).</para>
/// <para><see cref="ToString"/> prints no MAC.</para>
/// </remarks>
public sealed record CertificateAuthorityRecord
{
    /// <summary>The authority's id (UUIDv7).</summary>
    public required Guid Id { get; init; }

    /// <summary>The owning tenant.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>The authority's name, unique in the tenant (ordinal); 1–200 characters.</summary>
    public required string Name { get; init; }

    /// <summary>The KeyInfra key that signs its certificates and CRLs.</summary>
    public required Keys.KeyId KeyId { get; init; }

    /// <summary>The authority that issued its certificate; <c>null</c> for a self-signed root.</summary>
    public Guid? ParentId { get; init; }

    /// <summary>The profile its certificate was issued under (<see cref="Certificates.CertificateProfile.Name"/>).</summary>
    public required string ProfileName { get; init; }

    /// <summary>Its certificate, DER.</summary>
    public required byte[] CertificateDer { get; init; }

    /// <summary>When its certificate expires (UTC); copied from <see cref="CertificateDer"/>.</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>Where it publishes its CRL, written into the certificates it issues; <c>null</c> for none.</summary>
    public string? CrlDistributionPoint { get; init; }

    /// <summary>The number of its last CRL; 0 before the first.</summary>
    public long CrlNumber { get; init; }

    /// <summary>SHA-256 of its last CRL's DER (32 bytes); <c>null</c> before the first.</summary>
    public byte[]? LastCrlSha256 { get; init; }

    /// <summary>When its next CRL is due (UTC): before the last one's <c>nextUpdate</c>; <c>null</c> before the first.</summary>
    public DateTimeOffset? NextCrlDue { get; init; }

    /// <summary>The row's update counter: 1 when added, incremented on every change (compare-and-set).</summary>
    public long Version { get; init; } = 1;

    /// <summary>When the authority was created (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>HMAC-SHA256 of the row (32 bytes); <c>null</c> only without a master key source.</summary>
    public byte[]? Mac { get; init; }

    /// <summary>The master key <see cref="Mac"/> was made under.</summary>
    public string? MacMasterKeyId { get; init; }

    /// <summary>Names the authority; never prints the MAC.</summary>
    public override string ToString() => $"CertificateAuthorityRecord({Id}, tenant {TenantId}, '{Name}', key {KeyId}, CRL {CrlNumber}, version {Version})";
}
