using System.Buffers;
using System.Formats.Asn1;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KeyInfra.Errors;

namespace KeyInfra.Certificates;

/// <summary>
/// The subject of a certificate signing request, read attribute by attribute and rebuilt: the request's own bytes never
/// reach a certificate.
/// </summary>
/// <remarks>
/// <para>Accepted: one attribute per relative distinguished name, of the types country (C, two ASCII letters),
/// state or province (ST), locality (L), organization (O), organizational unit (OU, up to
/// <see cref="MaxOrganizationalUnits"/>) and common name (CN), each other than OU at most once; each value a string
/// of 1 to <see cref="MaxValueLength"/> characters without control, format (bidirectional overrides, zero-width) or
/// line-separator characters. Anything else refuses the request (KI8003; KI8001 when the name does not decode).</para>
/// <para>The subject is rebuilt in the order C, ST, L, O, OU (in the request's order), CN (the DER encoding's order, most
/// significant first; written out, <c>CN=..., OU=..., O=..., L=..., S=..., C=...</c>), each value as a UTF8String (C as a
/// PrintableString, upper-cased). A common name must be one of the request's DNS names or IP
/// addresses (case-insensitively; an IP address in its usual text form, <c>192.0.2.1</c>, <c>2001:db8::1</c>), and a
/// request with neither a common name nor a subject alternative name names nobody (KI8003).</para>
/// <para>Thread-safe.</para>
/// </remarks>
internal static class RequestSubject
{
    /// <summary>The longest attribute value accepted, in characters (RFC 5280's upper bound for a common name).</summary>
    public const int MaxValueLength = 64;

    /// <summary>The most organizational units accepted.</summary>
    public const int MaxOrganizationalUnits = 4;

    private const string CountryOid = "2.5.4.6";
    private const string StateOid = "2.5.4.8";
    private const string LocalityOid = "2.5.4.7";
    private const string OrganizationOid = "2.5.4.10";
    private const string OrganizationalUnitOid = "2.5.4.11";
    private const string CommonNameOid = "2.5.4.3";

    /// <summary>The subject to issue for a request with subject <paramref name="requested"/> and names <paramref name="names"/>.</summary>
    /// <exception cref="CertificateException">KI8001 the name does not decode; KI8003 it asks for what is not issued (see the remarks).</exception>
    public static X500DistinguishedName Rebuild(X500DistinguishedName requested, CertificateNames names)
    {
        List<X500RelativeDistinguishedName> relativeNames;
        try
        {
            relativeNames = [.. requested.EnumerateRelativeDistinguishedNames(reversed: false)];
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            throw Malformed(e);
        }

        string? country = null, state = null, locality = null, organization = null, commonName = null;
        var units = new List<string>();
        foreach (var relativeName in relativeNames)
        {
            var (type, value) = ReadSingle(relativeName);
            switch (type)
            {
                case CountryOid:
                    Once(ref country, value, "country (C)");
                    if (value.Length != 2 || !char.IsAsciiLetter(value[0]) || !char.IsAsciiLetter(value[1]))
                    {
                        throw Violation($"The request's subject has the country '{Shown(value)}'; a country is two letters (ISO 3166-1 alpha-2).");
                    }

                    break;
                case StateOid:
                    Once(ref state, value, "state or province (ST)");
                    break;
                case LocalityOid:
                    Once(ref locality, value, "locality (L)");
                    break;
                case OrganizationOid:
                    Once(ref organization, value, "organization (O)");
                    break;
                case OrganizationalUnitOid:
                    units.Add(value);
                    if (units.Count > MaxOrganizationalUnits)
                    {
                        throw Violation($"The request's subject has more than {MaxOrganizationalUnits} organizational units (OU).");
                    }

                    break;
                case CommonNameOid:
                    Once(ref commonName, value, "common name (CN)");
                    break;
                default:
                    throw Violation(
                        $"The request's subject has an attribute of type {type}; KeyInfra issues subjects of C, ST, L, O, OU and CN only (other attributes, such as e-mail addresses, serial numbers or domain components, are not issued).");
            }
        }

        if (commonName is not null && !Names(names).Any(name => name.Equals(commonName, StringComparison.OrdinalIgnoreCase)))
        {
            throw Violation(
                $"The request's common name '{Shown(commonName)}' is none of its DNS names or IP addresses; a certificate's common name repeats one of its subject alternative names (CA/Browser Forum Baseline Requirements, 7.1.4.3).");
        }

        if (commonName is null && names.IsEmpty)
        {
            throw Violation("The request names nobody: it has no common name and no DNS name or IP address.");
        }

        // The builder encodes its attributes in the reverse of the order they are added (added as a name is written,
        // CN first), so C, ST, L, O, OU (in the request's order), CN in the encoding means adding them the other way round.
        var builder = new X500DistinguishedNameBuilder();
        if (commonName is not null)
        {
            builder.AddCommonName(commonName);
        }

        for (var i = units.Count - 1; i >= 0; i--)
        {
            builder.AddOrganizationalUnitName(units[i]);
        }

        if (organization is not null)
        {
            builder.AddOrganizationName(organization);
        }

        if (locality is not null)
        {
            builder.AddLocalityName(locality);
        }

        if (state is not null)
        {
            builder.AddStateOrProvinceName(state);
        }

        if (country is not null)
        {
            builder.AddCountryOrRegion(country.ToUpperInvariant());
        }

        return builder.Build();
    }

    private static (string Type, string Value) ReadSingle(X500RelativeDistinguishedName relativeName)
    {
        if (relativeName.HasMultipleElements)
        {
            throw Violation("The request's subject has a multi-valued relative distinguished name (attributes joined with '+'); KeyInfra issues one attribute per name.");
        }

        string? type;
        string? value;
        try
        {
            type = relativeName.GetSingleElementType().Value;
            value = relativeName.GetSingleElementValue();
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or InvalidOperationException)
        {
            throw Malformed(e);
        }

        if (type is null)
        {
            throw Malformed(null);
        }

        if (value is null)
        {
            throw Violation($"The request's subject attribute {type} is not a character string.");
        }

        if (value.Length is 0 or > MaxValueLength)
        {
            throw Violation($"The request's subject attribute {type} is {value.Length} characters long; KeyInfra issues values of 1 to {MaxValueLength}.");
        }

        if (!IsPrintable(value))
        {
            throw Violation($"The request's subject attribute {type} has a control, format or line-separator character, or is not valid Unicode.");
        }

        return (type, value);
    }

    private static bool IsPrintable(string value)
    {
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                return false;
            }

            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return false;
            }

            rest = rest[consumed..];
        }

        return true;
    }

    private static void Once(ref string? slot, string value, string what)
        => slot = slot is null ? value : throw Violation($"The request's subject has more than one {what}.");

    private static IEnumerable<string> Names(CertificateNames names)
        => names.DnsNames.Concat(names.IpAddresses.Select(static (IPAddress address) => address.ToString()));

    private static string Shown(string value) => DnsNames.Shorten(value);

    private static CertificateException Violation(string message) => new(ErrorCodes.CertificateProfileViolation, message);

    private static CertificateException Malformed(Exception? inner)
        => new(ErrorCodes.CertificateRequestMalformed, "The request's subject is not a DER X.501 Name (RFC 5280, 4.1.2.4).", inner);
}
