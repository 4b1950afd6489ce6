using KeyInfra.Keys;

namespace KeyInfra.Certificates;

/// <summary>
/// Asks an authority for a certificate (<see cref="ICertificateStore.IssueAsync"/>): either from a device's PKCS#10
/// signing request (<see cref="SigningRequest"/>) or for a key KeyInfra holds (<see cref="Key"/>, with
/// <see cref="Subject"/> and the names given here). Exactly one of the two.
/// </summary>
/// <param name="AuthorityId">The issuing authority.</param>
public sealed record IssueCertificateRequest(Guid AuthorityId)
{
    /// <summary>The signing request, PEM or DER (at most 64 KiB); its subject and its DNS and IP names are used, nothing else.</summary>
    public ReadOnlyMemory<byte>? SigningRequest { get; init; }

    /// <summary>A KeyInfra key (not an authority's) to certify; the caller must be allowed to read it.</summary>
    public KeyId? Key { get; init; }

    /// <summary>For <see cref="Key"/>: the subject (<c>CN=switch-01.example.net</c>); its CN, if any, must be one of the names.</summary>
    public string? Subject { get; init; }

    /// <summary>For <see cref="Key"/>: the DNS names.</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    /// <summary>For <see cref="Key"/>: the IP addresses.</summary>
    public IReadOnlyList<System.Net.IPAddress> IpAddresses { get; init; } = [];

    /// <summary>The profile (<see cref="CertificateProfile.Name"/>): <c>network-device</c> by default.</summary>
    public string ProfileName { get; init; } = CertificateProfile.NetworkDevice.Name;

    /// <summary>How long it is valid; 365 days by default, at most the profile's.</summary>
    public TimeSpan Validity { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Whose it is; the caller by default. Only a caller that may manage the tenant's users names another.</summary>
    public string? Owner { get; init; }
}
