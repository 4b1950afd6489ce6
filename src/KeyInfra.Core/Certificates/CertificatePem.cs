using System.Security.Cryptography;

namespace KeyInfra.Certificates;

/// <summary>PEM text of certificates and CRLs (RFC 7468), for files and for <c>openssl</c>.</summary>
public static class CertificatePem
{
    /// <summary>A certificate as a PEM <c>CERTIFICATE</c> block.</summary>
    /// <param name="der">The certificate, DER.</param>
    public static string Certificate(ReadOnlySpan<byte> der) => PemEncoding.WriteString("CERTIFICATE", der) + "\n";

    /// <summary>A CRL as a PEM <c>X509 CRL</c> block.</summary>
    /// <param name="der">The CRL, DER.</param>
    public static string Crl(ReadOnlySpan<byte> der) => PemEncoding.WriteString("X509 CRL", der) + "\n";
}
