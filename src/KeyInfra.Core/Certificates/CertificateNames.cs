using System.Net;

namespace KeyInfra.Certificates;

/// <summary>The subject alternative names of a certificate: DNS names and IP addresses, the only kinds KeyInfra issues.</summary>
/// <param name="DnsNames">DNS names (lower-case, checked by <see cref="Certificates.DnsNames.IsValid"/>).</param>
/// <param name="IpAddresses">IPv4 and IPv6 addresses.</param>
internal sealed record CertificateNames(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> IpAddresses)
{
    /// <summary>No names.</summary>
    public static CertificateNames None { get; } = new([], []);

    /// <summary>Whether there are none.</summary>
    public bool IsEmpty => DnsNames.Count == 0 && IpAddresses.Count == 0;
}
