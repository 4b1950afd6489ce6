using System.Security.Cryptography.X509Certificates;

namespace KeyInfra.Certificates;

/// <summary>
/// What a certificate issued under it says and may say: whether it is a certificate authority, its key usage and
/// extended key usages, the names a request may ask for, and its longest validity. A request never chooses any of
/// these: from a certificate signing request only the subject, the public key and the names the profile allows are
/// taken (docs/certificates.md).
/// </summary>
/// <remarks>
/// Single settings are checked where they are set (a negative <see cref="PathLength"/>, a <see cref="MaxValidity"/>
/// that is not positive, an extended key usage that is not a dotted-decimal OID: <see cref="ArgumentException"/>). The
/// rules across settings are checked when a certificate is issued under the profile, also with
/// <see cref="ArgumentException"/>: the key usage is not empty, an authority has keyCertSign, and only an authority has
/// keyCertSign or cRLSign. Immutable, so thread-safe.
/// </remarks>
public sealed record CertificateProfile
{
    /// <summary>The TLS server authentication purpose (<c>id-kp-serverAuth</c>, 1.3.6.1.5.5.7.3.1).</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>The TLS client authentication purpose (<c>id-kp-clientAuth</c>, 1.3.6.1.5.5.7.3.2).</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>A self-signed root authority: signs certificates and CRLs, any path below it, 20 years at most.</summary>
    public static CertificateProfile RootAuthority { get; } = new()
    {
        Name = "root-ca",
        IsAuthority = true,
        KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
        MaxValidity = TimeSpan.FromDays(20 * 365),
    };

    /// <summary>An intermediate authority: signs end-entity certificates and CRLs only (path length 0), 10 years at most.</summary>
    public static CertificateProfile IntermediateAuthority { get; } = new()
    {
        Name = "intermediate-ca",
        IsAuthority = true,
        PathLength = 0,
        KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
        MaxValidity = TimeSpan.FromDays(10 * 365),
    };

    /// <summary>
    /// A network device that serves and connects over TLS (both authentication purposes): DNS names and IP addresses,
    /// 397 days at most (the CA/Browser Forum's limit for server certificates).
    /// </summary>
    public static CertificateProfile NetworkDevice { get; } = new()
    {
        Name = "network-device",
        KeyUsage = X509KeyUsageFlags.DigitalSignature,
        ExtendedKeyUsages = [ServerAuthentication, ClientAuthentication],
        AllowDnsNames = true,
        AllowIpAddresses = true,
        MaxValidity = TimeSpan.FromDays(397),
    };

    /// <summary>A TLS server: DNS names and IP addresses, 397 days at most.</summary>
    public static CertificateProfile NetworkDeviceServer { get; } = NetworkDevice with { Name = "network-device-server", ExtendedKeyUsages = [ServerAuthentication] };

    /// <summary>A TLS client (a device authenticating to a controller): DNS names and IP addresses, 397 days at most.</summary>
    public static CertificateProfile NetworkDeviceClient { get; } = NetworkDevice with { Name = "network-device-client", ExtendedKeyUsages = [ClientAuthentication] };

    /// <summary>The profile's name, recorded with each certificate issued under it.</summary>
    public required string Name { get; init; }

    /// <summary>Whether certificates issued under it are certificate authorities (basic constraints <c>cA</c>).</summary>
    public bool IsAuthority { get; init; }

    /// <summary>For an authority, how many authorities may follow it in a path; <c>null</c> for no limit. Ignored otherwise.</summary>
    public int? PathLength
    {
        get;
        init => field = value is < 0 ? throw new ArgumentOutOfRangeException(nameof(PathLength), value, "A path length is 0 or more.") : value;
    }

    /// <summary>The key usage, marked critical.</summary>
    public X509KeyUsageFlags KeyUsage { get; init; }

    /// <summary>
    /// The extended key usages, as dotted-decimal OIDs (<c>1.3.6.1.5.5.7.3.1</c>); none for an authority, whose use is its
    /// key usage. Copied when set, so a caller's list changing later changes nothing.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is not a dotted-decimal OID.</exception>
    public IReadOnlyList<string> ExtendedKeyUsages
    {
        get;
        init
        {
            string[] copy = [.. value ?? throw new ArgumentNullException(nameof(ExtendedKeyUsages))];
            foreach (var oid in copy)
            {
                if (!IsDottedDecimalOid(oid))
                {
                    throw new ArgumentException($"The extended key usage '{DnsNames.Shorten(oid ?? "(null)")}' is not a dotted-decimal OID (such as {ServerAuthentication}).", nameof(ExtendedKeyUsages));
                }
            }

            field = copy;
        }
    } = [];

    /// <summary>Whether a request may name DNS names (subject alternative names).</summary>
    public bool AllowDnsNames { get; init; }

    /// <summary>
    /// Whether a DNS name may be a wildcard (<c>*.devices.example.net</c>, the whole first label only). <c>false</c> by
    /// default and in every built-in profile: a wildcard certificate's key speaks for every host under the name.
    /// </summary>
    public bool AllowWildcards { get; init; }

    /// <summary>Whether a request may name IP addresses (subject alternative names).</summary>
    public bool AllowIpAddresses { get; init; }

    /// <summary>The longest validity a certificate issued under it may have.</summary>
    public TimeSpan MaxValidity
    {
        get;
        init => field = value <= TimeSpan.Zero ? throw new ArgumentOutOfRangeException(nameof(MaxValidity), value, "A profile's validity is positive.") : value;
    } = TimeSpan.FromDays(397);

    /// <summary>The built-in profiles, by name.</summary>
    public static IReadOnlyList<CertificateProfile> BuiltIn { get; } = [RootAuthority, IntermediateAuthority, NetworkDevice, NetworkDeviceServer, NetworkDeviceClient];

    /// <summary>Checks the rules across settings (see the remarks); <see cref="CertificateIssuer"/> calls it before it issues.</summary>
    /// <exception cref="ArgumentException">The profile breaks one.</exception>
    internal void ThrowIfInconsistent(string paramName)
    {
        const X509KeyUsageFlags authorityUsages = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign;
        if (KeyUsage == X509KeyUsageFlags.None)
        {
            throw new ArgumentException($"Profile '{Name}' has no key usage; every certificate states one (digitalSignature for a TLS device).", paramName);
        }

        if (IsAuthority && !KeyUsage.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            throw new ArgumentException($"Profile '{Name}' is an authority's without keyCertSign: an authority's certificate must allow it to sign certificates.", paramName);
        }

        if (!IsAuthority && (KeyUsage & authorityUsages) != 0)
        {
            throw new ArgumentException($"Profile '{Name}' is not an authority's but has keyCertSign or cRLSign; only an authority signs certificates and CRLs.", paramName);
        }
    }

    // RFC 4512, 1.4 numericoid: number *( "." number ), number = "0" / ( %x31-39 *DIGIT ); X.660: at least two arcs,
    // the first 0, 1 or 2, and under 0 and 1 the second at most 39.
    private static bool IsDottedDecimalOid(string? oid)
    {
        if (string.IsNullOrEmpty(oid) || oid.Length > 256)
        {
            return false;
        }

        var arcs = oid.Split('.');
        if (arcs.Length < 2 || arcs[0] is not ("0" or "1" or "2"))
        {
            return false;
        }

        foreach (var arc in arcs)
        {
            if (arc.Length == 0 || arc.AsSpan().ContainsAnyExceptInRange('0', '9') || (arc.Length > 1 && arc[0] == '0'))
            {
                return false;
            }
        }

        return arcs[0] == "2" || arcs[1].Length == 1 || (arcs[1].Length == 2 && arcs[1][0] <= '3');
    }
}
