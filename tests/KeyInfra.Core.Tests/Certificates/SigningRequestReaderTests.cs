using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KeyInfra.Certificates;
using KeyInfra.Errors;
using KeyInfra.Tests;

namespace KeyInfra.Core.Tests.Certificates;

/// <summary>A certificate signing request is untrusted input: every malformed, oversized, forged or unsupported one gets its code, and nothing of it is issued.</summary>
[TestClass]
public sealed class SigningRequestReaderTests
{
    [TestMethod]
    public void PemAndDer_ReadTheSameRequest()
    {
        var der = Request("CN=device.example.test", "device.example.test");
        var pem = Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE REQUEST", der) + "\n");

        var fromDer = SigningRequestReader.Read(der);
        var fromPem = SigningRequestReader.Read(pem);

        Assert.AreEqual("CN=device.example.test", fromDer.Subject.Name);
        Assert.AreEqual(fromDer.Subject.Name, fromPem.Subject.Name);
        CollectionAssert.AreEqual(fromDer.PublicKey.ExportSubjectPublicKeyInfo(), fromPem.PublicKey.ExportSubjectPublicKeyInfo());
        CollectionAssert.AreEqual(new[] { "device.example.test" }, fromPem.Names.DnsNames.ToArray());
    }

    [TestMethod]
    public void SignatureChanged_IsRefusedAsForged()
    {
        var der = Request("CN=device.example.test", "device.example.test");
        der[^5] ^= 0x01;

        var error = Assert.ThrowsExactly<CertificateException>(() => SigningRequestReader.Read(der));

        Assert.AreEqual(ErrorCodes.CertificateRequestSignatureInvalid, error.ErrorCode);
    }

    [TestMethod]
    public void SubjectChangedAfterSigning_IsRefusedAsForged()
    {
        var der = Request("CN=aaaaaa.example.test", "device.example.test");
        var at = der.AsSpan().IndexOf("aaaaaa"u8);
        "bbbbbb"u8.CopyTo(der.AsSpan(at));

        var error = Assert.ThrowsExactly<CertificateException>(() => SigningRequestReader.Read(der));

        Assert.AreEqual(ErrorCodes.CertificateRequestSignatureInvalid, error.ErrorCode);
    }

    [TestMethod]
    [DynamicData(nameof(MalformedRequests))]
    public void Malformed_IsRefusedWithItsCode(string description, byte[] request, string expected)
    {
        var error = Assert.ThrowsExactly<CertificateException>(() => SigningRequestReader.Read(request), description);

        Assert.AreEqual(ErrorCodes.CertificateRequestMalformed, error.ErrorCode, description);
        StringAssert.Contains(error.Message, expected, description);
    }

    public static IEnumerable<object[]> MalformedRequests()
    {
        var der = Request("CN=device.example.test", "device.example.test");
        var pem = PemEncoding.WriteString("CERTIFICATE REQUEST", der);
        yield return ["empty", Array.Empty<byte>(), "empty"];
        yield return ["too large", new byte[SigningRequestReader.MaxLength + 1], "at most 65536 bytes"];
        yield return ["bytes after the DER", (byte[])[.. der, 0x00], "bytes after the request"];
        yield return ["truncated DER", der[..^10], "not a canonical DER"];
        yield return ["BER length (long form for a short length)", NonMinimalLength(der), "not a canonical DER"];
        yield return ["a certificate's PEM", Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE", der)), "not a 'CERTIFICATE REQUEST'"];
        yield return ["two requests", Encoding.ASCII.GetBytes(pem + "\n" + pem), "give one request at a time"];
        yield return ["text after the PEM", Encoding.ASCII.GetBytes(pem + "\nextra"), "text after the PEM block"];
        yield return ["invalid Base64", Encoding.ASCII.GetBytes(pem.Replace(pem.Split('\n')[1][..4], "!!!!", StringComparison.Ordinal)), "PEM armour is malformed"];
        yield return ["not PEM, not DER", "hello"u8.ToArray(), "No PEM block"];
    }

    [TestMethod]
    public void EmailAddressName_IsRefused_NotIssuedWithoutIt()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=device", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("device.example.test");
        names.AddEmailAddress("admin@example.test");
        request.CertificateExtensions.Add(names.Build());

        var error = Assert.ThrowsExactly<CertificateException>(() => SigningRequestReader.Read(request.CreateSigningRequest()));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "DNS names and IP addresses only");
    }

    [TestMethod]
    [DataRow("-leading-hyphen.example.test")]
    [DataRow("under_score.example.test")]
    [DataRow("two..dots.example.test")]
    [DataRow("*.*.example.test")]
    [DataRow("*.test")]
    public void DnsNameThatIsNotOne_IsRefused(string name)
    {
        // The BCL's builder refuses such names; openssl writes whatever it is given, as a hostile requester would.
        var request = OpenSslRequest(name);

        var error = Assert.ThrowsExactly<CertificateException>(() => SigningRequestReader.Read(request));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode, name);
        StringAssert.Contains(error.Message, "not a DNS name");
    }

    [TestMethod]
    [DataRow("device.example.test")]
    [DataRow("*.devices.example.test")]
    [DataRow("xn--caf-dma.example.test")]
    [DataRow("a1-b2.c3")]
    public void DnsName_IsAccepted(string name)
    {
        CollectionAssert.AreEqual(new[] { name }, SigningRequestReader.Read(Request("CN=device", name)).Names.DnsNames.ToArray());
    }

    private static byte[] OpenSslRequest(string dnsName)
    {
        var folder = Path.Combine(Path.GetTempPath(), "keyinfra-tests", "csr-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var csr = Path.Combine(folder, "request.der");
            OpenSsl.Succeed("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", Path.Combine(folder, "key.pem"),
                "-outform", "DER", "-out", csr, "-subj", "/CN=device", "-addext", "subjectAltName=DNS:" + dnsName);
            return File.ReadAllBytes(csr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static byte[] Request(string subject, string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSigningRequest();
    }

    // The outer SEQUENCE's length re-encoded with one more length octet than it needs: valid BER, not DER.
    private static byte[] NonMinimalLength(byte[] der)
    {
        Assert.AreNotEqual(0, der[1] & 0x80, "the test expects a long-form length");
        var lengthOctets = der[1] & 0x7F;
        var content = der.AsSpan(2 + lengthOctets);
        var length = new byte[] { (byte)(0x80 | (lengthOctets + 1)), 0x00 }.Concat(der.AsSpan(2, lengthOctets).ToArray()).ToArray();
        return [der[0], .. length, .. content];
    }
}
