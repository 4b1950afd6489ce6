using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KeyInfra.Sqlite.Tests.Certificates;

/// <summary>PKCS#10 requests as a network device makes them: a new P-256 key, its DNS name as CN and as the one SAN.</summary>
internal static class DeviceSigningRequests
{
    public static byte[] For(string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSigningRequest();
    }
}
