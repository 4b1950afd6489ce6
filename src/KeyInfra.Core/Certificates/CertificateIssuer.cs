using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Errors;

namespace KeyInfra.Certificates;

/// <summary>
/// Builds and signs one certificate with the BCL's <see cref="CertificateRequest"/>: the extensions come from the
/// profile and the issuer alone (basic constraints and key usage critical, extended key usage, subject and authority
/// key identifiers, the names the profile allows, the issuer's CRL distribution point), and nothing is issued that the
/// profile or the issuer does not allow.
/// </summary>
internal static class CertificateIssuer
{
    /// <summary>Issues a certificate.</summary>
    /// <param name="profile">What the certificate says and may say.</param>
    /// <param name="subject">The subject's distinguished name.</param>
    /// <param name="subjectKey">The subject's public key; for a self-signed certificate, the generator's.</param>
    /// <param name="names">The subject alternative names asked for.</param>
    /// <param name="issuer">The issuing authority's certificate; <c>null</c> for a self-signed root.</param>
    /// <param name="generator">Signs with the issuer's key (or, self-signed, the subject's).</param>
    /// <param name="hash">The signature's hash (ignored by Ed25519).</param>
    /// <param name="validity">When the certificate is valid from and until.</param>
    /// <param name="serialNumber">The serial number (<see cref="CertificateSerialNumber.New"/>): 1 to 20 bytes, the first 0x01 to 0x7F.</param>
    /// <param name="crlDistributionPoint">Where the issuer publishes its CRL; <c>null</c> for none (and always none for a root).</param>
    /// <exception cref="ArgumentException">
    /// The profile is inconsistent (no key usage, an authority without keyCertSign, keyCertSign or cRLSign on a
    /// non-authority), or the serial number is not a positive DER INTEGER of at most 20 bytes as given.
    /// </exception>
    /// <exception cref="CertificateException">KI8003: the profile or the issuer does not allow it.</exception>
    public static X509Certificate2 Issue(
        CertificateProfile profile,
        X500DistinguishedName subject,
        PublicKey subjectKey,
        CertificateNames names,
        X509Certificate2? issuer,
        X509SignatureGenerator generator,
        HashAlgorithmName hash,
        (DateTimeOffset NotBefore, DateTimeOffset NotAfter) validity,
        byte[] serialNumber,
        Uri? crlDistributionPoint)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(subjectKey);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(generator);
        profile.ThrowIfInconsistent(nameof(profile));
        CertificateSerialNumber.ThrowIfInvalid(serialNumber, nameof(serialNumber));
        Check(profile, subject, subjectKey, names, issuer, generator, validity);

        var request = new CertificateRequest(subject, subjectKey, hash);
        var extensions = request.CertificateExtensions;
        extensions.Add(new X509BasicConstraintsExtension(profile.IsAuthority, profile.IsAuthority && profile.PathLength is not null, profile.PathLength ?? 0, critical: true));
        extensions.Add(new X509KeyUsageExtension(profile.KeyUsage, critical: true));
        if (profile.ExtendedKeyUsages.Count > 0)
        {
            var purposes = new OidCollection();
            foreach (var purpose in profile.ExtendedKeyUsages)
            {
                purposes.Add(new Oid(purpose));
            }

            extensions.Add(new X509EnhancedKeyUsageExtension(purposes, critical: false));
        }

        var subjectKeyIdentifier = new X509SubjectKeyIdentifierExtension(subjectKey, critical: false);
        extensions.Add(subjectKeyIdentifier);
        extensions.Add(issuer is null
            ? X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(subjectKeyIdentifier)
            : X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (!names.IsEmpty)
        {
            var builder = new SubjectAlternativeNameBuilder();
            foreach (var dnsName in names.DnsNames)
            {
                builder.AddDnsName(dnsName);
            }

            foreach (var address in names.IpAddresses)
            {
                builder.AddIpAddress(address);
            }

            // RFC 5280, 4.2.1.6: critical when the subject is empty, since the names are then the only identity.
            extensions.Add(builder.Build(critical: subject.RawData.Length <= 2));
        }

        if (issuer is not null && crlDistributionPoint is not null)
        {
            extensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlDistributionPoint.AbsoluteUri]));
        }

        return request.Create(issuer?.SubjectName ?? subject, generator, validity.NotBefore, validity.NotAfter, serialNumber);
    }

    /// <summary>Refuses a validity that ends before it starts or is longer than <paramref name="profile"/> allows.</summary>
    /// <exception cref="CertificateException">KI8003.</exception>
    public static void CheckValidity(CertificateProfile profile, (DateTimeOffset NotBefore, DateTimeOffset NotAfter) validity)
    {
        if (validity.NotAfter <= validity.NotBefore)
        {
            throw Violation($"The certificate would end ({validity.NotAfter:O}) before it starts ({validity.NotBefore:O}).");
        }

        if (validity.NotAfter - validity.NotBefore > profile.MaxValidity)
        {
            throw Violation($"The certificate would be valid for {(validity.NotAfter - validity.NotBefore).TotalDays:0.#} days; profile '{profile.Name}' allows at most {profile.MaxValidity.TotalDays:0.#}.");
        }
    }

    private static void Check(CertificateProfile profile, X500DistinguishedName subject, PublicKey subjectKey, CertificateNames names, X509Certificate2? issuer,
        X509SignatureGenerator generator, (DateTimeOffset NotBefore, DateTimeOffset NotAfter) validity)
    {
        CheckValidity(profile, validity);

        if (names.DnsNames.Count > 0 && !profile.AllowDnsNames)
        {
            throw Violation($"Profile '{profile.Name}' does not allow DNS names, and {names.DnsNames.Count} were asked for.");
        }

        if (names.IpAddresses.Count > 0 && !profile.AllowIpAddresses)
        {
            throw Violation($"Profile '{profile.Name}' does not allow IP addresses, and {names.IpAddresses.Count} were asked for.");
        }

        foreach (var dnsName in names.DnsNames)
        {
            // SigningRequestReader gives only such names; a caller building names itself is held to the same form.
            if (!DnsNames.IsValid(dnsName) || dnsName.AsSpan().ContainsAnyInRange('A', 'Z'))
            {
                throw Violation($"'{DnsNames.Shorten(dnsName)}' is not a lower-case DNS name of at least two labels (RFC 1123; internationalized names as valid A-labels).");
            }

            if (DnsNames.IsWildcard(dnsName) && !profile.AllowWildcards)
            {
                throw Violation($"Profile '{profile.Name}' does not allow wildcard names, and '{DnsNames.Shorten(dnsName)}' was asked for.");
            }
        }

        if (subject.RawData.Length <= 2 && names.IsEmpty)
        {
            throw Violation("The certificate would name nobody: its subject is empty and it has no DNS name or IP address.");
        }

        if (issuer is null)
        {
            if (!profile.IsAuthority)
            {
                throw Violation($"Only an authority's certificate is self-signed; profile '{profile.Name}' is not an authority's.");
            }

            if (!subjectKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(generator.PublicKey.ExportSubjectPublicKeyInfo()))
            {
                throw Violation("A self-signed certificate is signed by its own key, and the generator's key is not the subject's.");
            }

            return;
        }

        var constraints = issuer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        var usage = issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (constraints is not { CertificateAuthority: true } || usage is null || !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            throw Violation($"The issuer '{issuer.Subject}' is not a certificate authority (basic constraints cA and key usage keyCertSign).");
        }

        if (profile.IsAuthority && constraints.HasPathLengthConstraint)
        {
            // RFC 5280, 4.2.1.9: at most N authorities may follow the issuer, so one under it allows at most N - 1 more.
            var limit = constraints.PathLengthConstraint;
            if (limit == 0)
            {
                throw Violation($"The issuer '{issuer.Subject}' has path length 0: it issues end-entity certificates only, not another authority's.");
            }

            if (profile.PathLength is not { } pathLength || pathLength >= limit)
            {
                throw Violation(
                    $"The issuer '{issuer.Subject}' has path length {limit}: an authority under it must have a path length below {limit}, and profile '{profile.Name}' has {profile.PathLength?.ToString(CultureInfo.InvariantCulture) ?? "none"}.");
            }
        }

        if (!issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any())
        {
            throw Violation($"The issuer '{issuer.Subject}' has no subject key identifier, so the certificate's authority key identifier cannot name its key (RFC 5280, 4.2.1.1). Reissue the authority's certificate with one (KeyInfra's always have it).");
        }

        if (validity.NotAfter > issuer.NotAfter || validity.NotBefore < issuer.NotBefore)
        {
            throw Violation($"The certificate would be valid outside its issuer's validity ({issuer.NotBefore:O} to {issuer.NotAfter:O}); a certificate never outlives the authority that signed it.");
        }

        if (!issuer.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(generator.PublicKey.ExportSubjectPublicKeyInfo()))
        {
            throw Violation($"The generator's key is not the key of the issuer '{issuer.Subject}'.");
        }
    }

    private static CertificateException Violation(string message) => new(ErrorCodes.CertificateProfileViolation, message);
}
