using System.Net;
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
/// Of what a request asks for, only its subject, its public key and the DNS names and IP addresses of its subject
/// alternative name are kept; every other requested extension (key usage, basic constraints, extended key usage, ...)
/// is dropped, since the profile alone decides them. A name is a DNS name (RFC 1123 labels, optionally one leading
/// wildcard label) or an IP address, nothing else; any other kind of alternative name refuses the request.
/// </remarks>
internal static class SigningRequestReader
{
    /// <summary>The largest request read, in bytes (PEM or DER): far above any real one, small enough to never matter.</summary>
    public const int MaxLength = 64 * 1024;

    private const string SubjectAlternativeNameOid = "2.5.29.17";

    /// <summary>Reads a request given as PEM text (UTF-8) or DER.</summary>
    /// <exception cref="CertificateException">KI8001 malformed, KI8002 its signature does not verify, KI8003 a name of a kind KeyInfra does not issue.</exception>
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
        CertificateRequest loaded;
        int consumed;
        try
        {
            // The signature algorithm's own hash is used to check it; the hash given here only becomes the request's default.
            loaded = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out consumed, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (CryptographicException e)
        {
            // The BCL reports a bad self-signature and a malformed request alike: a request that reads without the check
            // is well formed, so its signature is what failed.
            throw ReadsWithoutSignatureCheck(der)
                ? new CertificateException(ErrorCodes.CertificateRequestSignatureInvalid,
                    "The request's signature does not verify under its own public key, or is of an algorithm the platform cannot check (ECDSA and RSA requests are read). The request was changed after it was signed, or was not made by the key's holder.", e)
                : Malformed("The request is not a canonical DER PKCS#10 CertificationRequest (RFC 2986).", e);
        }

        if (consumed != der.Length)
        {
            throw Malformed($"There are {der.Length - consumed} bytes after the request.");
        }

        var dnsNames = new List<string>();
        var addresses = new List<IPAddress>();
        foreach (var extension in loaded.CertificateExtensions)
        {
            if (extension.Oid?.Value == SubjectAlternativeNameOid)
            {
                ReadNames(extension.RawData, dnsNames, addresses);
            }
        }

        return new SigningRequest(loaded.SubjectName, loaded.PublicKey, new CertificateNames(dnsNames, addresses));
    }

    private static string? CheckLabel(ReadOnlySpan<char> label)
        => label.SequenceEqual("CERTIFICATE REQUEST") || label.SequenceEqual("NEW CERTIFICATE REQUEST")
            ? null
            : $"The PEM block is a '{label}', not a 'CERTIFICATE REQUEST'.";

    private static bool ReadsWithoutSignatureCheck(byte[] der)
    {
        try
        {
            CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out _, CertificateRequestLoadOptions.SkipSignatureValidation);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static void ReadNames(byte[] rawData, List<string> dnsNames, List<IPAddress> addresses)
    {
        var names = new X509SubjectAlternativeNameExtension(rawData);
        var dns = names.EnumerateDnsNames().ToList();
        var ips = names.EnumerateIPAddresses().ToList();
        if (CountGeneralNames(rawData) != dns.Count + ips.Count)
        {
            throw new CertificateException(ErrorCodes.CertificateProfileViolation,
                "The request names a subject alternative name other than a DNS name or an IP address (an e-mail address, a URI, a directory name, ...); KeyInfra issues DNS names and IP addresses only.");
        }

        foreach (var name in dns)
        {
            if (!DnsNames.IsValid(name))
            {
                throw new CertificateException(ErrorCodes.CertificateProfileViolation,
                    $"The request names '{DnsNames.Shorten(name)}', which is not a DNS name (letters, digits and hyphens in labels of 1 to 63 characters, at most 253 in all; a wildcard only as the whole first label).");
            }

            dnsNames.Add(name.ToLowerInvariant());
        }

        addresses.AddRange(ips);
    }

    private static int CountGeneralNames(byte[] rawData)
    {
        var reader = new System.Formats.Asn1.AsnReader(rawData, System.Formats.Asn1.AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        var count = 0;
        while (sequence.HasData)
        {
            sequence.ReadEncodedValue();
            count++;
        }

        return count;
    }

    private static CertificateException Malformed(string message) => Malformed(message, null);

    private static CertificateException Malformed(string message, Exception? inner)
        => new(ErrorCodes.CertificateRequestMalformed, message, inner);
}
