using KeyInfra.Keys;

namespace KeyInfra.Certificates;

/// <summary>An issued certificate.</summary>
/// <param name="Id">Its id.</param>
/// <param name="AuthorityId">The authority that issued it.</param>
/// <param name="SerialNumber">Its serial number, lower-case hexadecimal.</param>
/// <param name="Owner">Whose it is (a caller's stable id).</param>
/// <param name="Subject">Its subject's distinguished name.</param>
/// <param name="DnsNames">Its DNS names.</param>
/// <param name="IpAddresses">Its IP addresses, as text.</param>
/// <param name="NotBefore">The start of its validity.</param>
/// <param name="NotAfter">The end of its validity.</param>
/// <param name="Status">Its status (expiry is not a status: <see cref="IsExpiredAt"/>).</param>
/// <param name="Version">1 for a first issue, one more for each renewal.</param>
/// <param name="ProfileName">The profile it was issued under.</param>
/// <param name="KeyId">The KeyInfra key it certifies; <c>null</c> for one issued from a signing request.</param>
/// <param name="Der">The certificate, DER.</param>
public sealed record CertificateInfo(
    Guid Id,
    Guid AuthorityId,
    string SerialNumber,
    string Owner,
    string Subject,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<string> IpAddresses,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    CertificateStatus Status,
    int Version,
    string ProfileName,
    KeyId? KeyId,
    ReadOnlyMemory<byte> Der)
{
    /// <summary>The certificate this one renewed; <c>null</c> for a first issue.</summary>
    public Guid? PreviousId { get; init; }

    /// <summary>When it was renewed; <c>null</c> while it has not been.</summary>
    public DateTimeOffset? RenewedAt { get; init; }

    /// <summary>Who renewed it; <c>null</c> while it has not been.</summary>
    public string? RenewedBy { get; init; }

    /// <summary>The certificate that renewed it; <c>null</c> while it has not been.</summary>
    public Guid? RenewedById { get; init; }

    /// <summary>Whether it has expired at <paramref name="now"/>.</summary>
    /// <param name="now">The time to judge at.</param>
    public bool IsExpiredAt(DateTimeOffset now) => now > NotAfter;
}
