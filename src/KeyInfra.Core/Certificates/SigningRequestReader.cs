using System.Formats.Asn1;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Cryptography;
using KeyInfra.Errors;

namespace KeyInfra.Certificates;

/// <summary>
/// Reads a PKCS#10 certificate signing request strictly, as untrusted input: its size is checked before anything is
/// decoded, PEM must be one <c>CERTIFICATE REQUEST</c> block with canonical Base64, DER must be canonical with nothing
/// after it, and the request's signature must verify under its own key (the BCL's
/// <see cref="CertificateRequest.LoadSigningRequest(ReadOnlySpan{byte}, HashAlgorithmName, out int, CertificateRequestLoadOptions, RSASignaturePadding?)"/>).
/// </summary>
/// <remarks>
/// <para>Of what a request asks for, only its subject, its public key and the DNS names and IP addresses of its subject
/// alternative name are kept; every other requested extension (key usage, basic constraints, extended key usage, ...)
/// is dropped, since the profile alone decides them. A name is a DNS name (<see cref="DnsNames"/>) or an IP address,
/// nothing else; any other kind of alternative name refuses the request. At most <see cref="MaxNames"/> names, in one
/// subject alternative name extension; repeated names are kept once.</para>
/// <para>The key is ECDSA on a named P-256, P-384 or P-521 curve, or RSA of 2048 to 8192 bits with public exponent
/// 65537. The subject is read attribute by attribute and rebuilt (<see cref="RequestSubject"/>), so no byte of the
/// request's own encoding reaches a certificate.</para>
/// <para>Thread-safe.</para>
/// </remarks>
internal static class SigningRequestReader
{
    /// <summary>The largest request read, in bytes (PEM or DER): far above any real one, small enough to never matter.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>The most DNS names and IP addresses a request may name, together.</summary>
    public const int MaxNames = 100;

    /// <summary>The smallest RSA modulus accepted, in bits.</summary>
    public const int MinRsaBits = 2048;

    /// <summary>The largest RSA modulus accepted, in bits.</summary>
    public const int MaxRsaBits = 8192;

    private const string SubjectAlternativeNameOid = "2.5.29.17";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const string P521Oid = "1.3.132.0.35";

    /// <summary>Reads a request given as PEM text (UTF-8) or DER.</summary>
    /// <exception cref="CertificateException">
    /// KI8001 malformed; KI8002 its signature does not verify, or its key is neither ECDSA nor RSA; KI8003 what it asks
    /// for is not issued (a name of another kind or too many names, a weak or unusual key, a subject attribute outside the
    /// allow-list, a common name that is not one of its names, no name at all).
    /// </exception>
    public static SigningRequest Read(ReadOnlySpan<byte> request)
    {
        if (request.Length > MaxLength)
        {
            throw Malformed($"The request is {request.Length} bytes; KeyInfra reads requests of at most {MaxLength} bytes.");
        }

        if (request.IsEmpty)
        {
            throw Malformed("The request is empty.");
        }

        // DER starts with a SEQUENCE tag (0x30); anything else is read as PEM text.
        var der = request[0] == 0x30 ? request.ToArray() : PemArmor.Decode(request, CheckLabel, "give one request at a time", Malformed);
        var loaded = Load(der);
        CheckKey(loaded.PublicKey);
        var names = ReadNames(loaded.CertificateExtensions);
        var subject = RequestSubject.Rebuild(loaded.SubjectName, names);
        return new SigningRequest(subject, loaded.PublicKey, names);
    }

    private static CertificateRequest Load(byte[] der)
    {
        CertificateRequest loaded;
        int consumed;
        try
        {
            // The signature algorithm's own hash is used to check it; the hash given here only becomes the request's default.
            loaded = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out consumed, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (Exception e) when (e is CryptographicException or NotSupportedException or AsnContentException)
        {
            throw WhyNotLoaded(der, e);
        }

        if (consumed != der.Length)
        {
            throw Malformed($"There are {der.Length - consumed} bytes after the request.");
        }

        return loaded;
    }

    // The BCL reports a bad self-signature, a key it cannot use and a malformed request alike: a request that reads
    // without the check is well formed, so its signature (or its key's algorithm) is what failed.
    private static CertificateException WhyNotLoaded(byte[] der, Exception e)
    {
        if (e is NotSupportedException)
        {
            return UnsupportedAlgorithm(e);
        }

        string? keyAlgorithm;
        try
        {
            // With the extensions, so an extension the BCL cannot read is reported as malformed, not as a bad signature.
            const CertificateRequestLoadOptions withoutCheck = CertificateRequestLoadOptions.SkipSignatureValidation | CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions;
            keyAlgorithm = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out _, withoutCheck).PublicKey.Oid.Value;
        }
        catch (NotSupportedException)
        {
            return UnsupportedAlgorithm(e);
        }
        catch (Exception inner) when (inner is CryptographicException or AsnContentException)
        {
            return Malformed("The request is not a canonical DER PKCS#10 CertificationRequest (RFC 2986).", e);
        }

        return keyAlgorithm is EcPublicKeyOid or RsaEncryptionOid
            ? new CertificateException(ErrorCodes.CertificateRequestSignatureInvalid,
                "The request's signature does not verify under its own public key, or is of an algorithm the platform cannot check. The request was changed after it was signed, or was not made by the key's holder.", e)
            : UnsupportedAlgorithm(e);
    }

    private static void CheckKey(PublicKey key)
    {
        switch (key.Oid.Value)
        {
            case RsaEncryptionOid:
                CheckRsaKey(key);
                break;
            case EcPublicKeyOid:
                CheckEcKey(key);
                break;
            default:
                throw UnsupportedAlgorithm(null);
        }
    }

    private static void CheckRsaKey(PublicKey key)
    {
        RSAParameters parameters;
        try
        {
            using var rsa = key.GetRSAPublicKey() ?? throw new CryptographicException("No RSA public key.");
            parameters = rsa.ExportParameters(includePrivateParameters: false);
        }
        catch (CryptographicException e)
        {
            throw Malformed("The request's RSA public key is malformed.", e);
        }

        var bits = new BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true).GetBitLength();
        if (bits is < MinRsaBits or > MaxRsaBits)
        {
            throw Violation($"The request's RSA key has {bits} bits; KeyInfra issues certificates for RSA keys of {MinRsaBits} to {MaxRsaBits} bits.");
        }

        if (new BigInteger(parameters.Exponent, isUnsigned: true, isBigEndian: true) != 65537)
        {
            throw Violation("The request's RSA key has a public exponent other than 65537, the only one KeyInfra issues certificates for.");
        }
    }

    private static void CheckEcKey(PublicKey key)
    {
        string? curve = null;
        try
        {
            var reader = new AsnReader(key.EncodedParameters?.RawData ?? [], AsnEncodingRules.DER);
            if (reader.HasData && reader.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                curve = reader.ReadObjectIdentifier();
                reader.ThrowIfNotEmpty();
            }
        }
        catch (AsnContentException e)
        {
            throw Malformed("The request's ECDSA key parameters are malformed.", e);
        }

        if (curve is not (P256Oid or P384Oid or P521Oid))
        {
            throw Violation(curve is null
                ? "The request's ECDSA key gives its curve's parameters explicitly; KeyInfra issues certificates for keys on a named curve (P-256, P-384, P-521) only."
                : $"The request's ECDSA key is on the curve {curve}; KeyInfra issues certificates for keys on P-256, P-384 and P-521 only.");
        }
    }

    private static CertificateNames ReadNames(IEnumerable<X509Extension> extensions)
    {
        X509Extension? alternativeNames = null;
        foreach (var extension in extensions)
        {
            if (extension.Oid?.Value == SubjectAlternativeNameOid)
            {
                alternativeNames = alternativeNames is null
                    ? extension
                    : throw Malformed("The request has more than one subject alternative name extension (RFC 5280, 4.2: each extension at most once).");
            }
        }

        if (alternativeNames is null)
        {
            return CertificateNames.None;
        }

        var rawData = alternativeNames.RawData;
        int count;
        List<string> dns;
        List<IPAddress> ips;
        try
        {
            count = CountGeneralNames(rawData);
            var names = new X509SubjectAlternativeNameExtension(rawData);
            dns = [.. names.EnumerateDnsNames()];
            ips = [.. names.EnumerateIPAddresses()];
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            throw Malformed("The request's subject alternative name extension is not a DER GeneralNames (RFC 5280, 4.2.1.6).", e);
        }

        if (count == 0)
        {
            throw Malformed("The request's subject alternative name extension names nothing (RFC 5280, 4.2.1.6: at least one name).");
        }

        if (count > MaxNames)
        {
            throw Violation($"The request names {count} subject alternative names; KeyInfra issues at most {MaxNames} in one certificate.");
        }

        if (count != dns.Count + ips.Count)
        {
            throw Violation(
                "The request names a subject alternative name other than a DNS name or an IP address (an e-mail address, a URI, a directory name, ...); KeyInfra issues DNS names and IP addresses only.");
        }

        var dnsNames = new List<string>(dns.Count);
        var seenDnsNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in dns)
        {
            if (!DnsNames.IsValid(name))
            {
                throw Violation(
                    $"The request names '{DnsNames.Shorten(name)}', which is not a DNS name (at least two labels of letters, digits and hyphens, 1 to 63 characters each, at most 253 in all, the last not all digits; a wildcard only as the whole first label; internationalized labels as valid A-labels).");
            }

            // IsValid admits ASCII only, so this lower-cases ASCII letters and nothing else.
            var lower = name.ToLowerInvariant();
            if (seenDnsNames.Add(lower))
            {
                dnsNames.Add(lower);
            }
        }

        var addresses = new List<IPAddress>(ips.Count);
        foreach (var address in ips)
        {
            if (!addresses.Contains(address))
            {
                addresses.Add(address);
            }
        }

        return new CertificateNames(dnsNames, addresses);
    }

    private static int CountGeneralNames(byte[] rawData)
    {
        var reader = new AsnReader(rawData, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var count = 0;
        while (sequence.HasData)
        {
            sequence.ReadEncodedValue();
            count++;
        }

        return count;
    }

    private static string? CheckLabel(ReadOnlySpan<char> label)
        => label.SequenceEqual("CERTIFICATE REQUEST") || label.SequenceEqual("NEW CERTIFICATE REQUEST")
            ? null
            : $"The PEM block is a '{label}', not a 'CERTIFICATE REQUEST'.";

    private static CertificateException UnsupportedAlgorithm(Exception? inner)
        => new(ErrorCodes.CertificateRequestSignatureInvalid,
            "The request's key is of an algorithm KeyInfra does not accept in a request (such as Ed25519, Ed448, DSA or an RSA-PSS-only key): only ECDSA and RSA requests are accepted.", inner);

    private static CertificateException Violation(string message) => new(ErrorCodes.CertificateProfileViolation, message);

    private static CertificateException Malformed(string message) => Malformed(message, null);

    private static CertificateException Malformed(string message, Exception? inner)
        => new(ErrorCodes.CertificateRequestMalformed, message, inner);
}
