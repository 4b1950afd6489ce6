using System.Formats.Asn1;
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
    [DataRow("10.0.0.1")]
    [DataRow("host.example.123")]
    [DataRow("localhost")]
    [DataRow("device")]
    [DataRow("xn--a.example.test")]
    [DataRow("xn--caf-dma-.example.test")]
    [DataRow("xn--ab-.example.test")]
    [DataRow("xn--abc.example.test")]
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
        CollectionAssert.AreEqual(new[] { name }, SigningRequestReader.Read(Request("O=Example", name)).Names.DnsNames.ToArray());
    }

    [TestMethod]
    public void Subject_IsRebuiltInAFixedOrder_NotCopied()
    {
        // Encoded most specific first, an OU between O and L, O as a PrintableString and the country in lower case.
        var printable = new AsnWriter(AsnEncodingRules.DER);
        printable.WriteCharacterString(UniversalTagNumber.PrintableString, "Example");
        var requested = RawName(
            [("2.5.4.3", "device.example.test")], [("2.5.4.11", "Switches")], [("2.5.4.10", printable.Encode())], [("2.5.4.11", "Floor 2")],
            [("2.5.4.7", "Berlin")], [("2.5.4.8", "Berlin")], [("2.5.4.6", "de")]);

        var subject = SigningRequestReader.Read(Request(requested, "device.example.test")).Subject;

        // C, ST, L, O, the OUs in the request's order, CN; the builder is given them as the name is written, CN first.
        var expected = Subject(b =>
        {
            b.AddCommonName("device.example.test");
            b.AddOrganizationalUnitName("Floor 2");
            b.AddOrganizationalUnitName("Switches");
            b.AddOrganizationName("Example");
            b.AddLocalityName("Berlin");
            b.AddStateOrProvinceName("Berlin");
            b.AddCountryOrRegion("DE");
        });
        CollectionAssert.AreEqual(expected.RawData, subject.RawData);
        Assert.AreEqual("CN=device.example.test, OU=Floor 2, OU=Switches, O=Example, L=Berlin, S=Berlin, C=DE", subject.Name);
        Assert.AreEqual("C=de, S=Berlin, L=Berlin, OU=Floor 2, O=Example, OU=Switches, CN=device.example.test", requested.Name);
    }

    [TestMethod]
    [DataRow("1.2.840.113549.1.9.1", "admin@example.test", DisplayName = "e-mail address")]
    [DataRow("2.5.4.5", "SN-1234", DisplayName = "serial number")]
    [DataRow("0.9.2342.19200300.100.1.25", "example", DisplayName = "domain component")]
    [DataRow("2.5.4.12", "Switch", DisplayName = "title")]
    [DataRow("1.2.3.4.5", "anything", DisplayName = "an unknown type")]
    public void SubjectAttributeOutsideTheAllowList_IsRefused(string oid, string value)
    {
        var subject = RawName([("2.5.4.3", "device.example.test")], [(oid, value)]);

        var error = Refused(Request(subject, "device.example.test"), ErrorCodes.CertificateProfileViolation, oid);

        StringAssert.Contains(error.Message, "C, ST, L, O, OU and CN only");
    }

    [TestMethod]
    public void MultiValuedRelativeName_IsRefused()
    {
        var subject = RawName([("2.5.4.3", "device.example.test"), ("2.5.4.10", "Example")]);

        var error = Refused(Request(subject, "device.example.test"), ErrorCodes.CertificateProfileViolation, "CN+O");

        StringAssert.Contains(error.Message, "multi-valued");
    }

    [TestMethod]
    [DataRow("2.5.4.3", 2, DisplayName = "two CNs")]
    [DataRow("2.5.4.10", 2, DisplayName = "two Os")]
    [DataRow("2.5.4.6", 2, DisplayName = "two Cs")]
    [DataRow("2.5.4.7", 2, DisplayName = "two Ls")]
    [DataRow("2.5.4.8", 2, DisplayName = "two STs")]
    [DataRow("2.5.4.11", 5, DisplayName = "five OUs")]
    public void SubjectAttributeTooOften_IsRefused(string oid, int times)
    {
        var value = oid == "2.5.4.6" ? "DE" : oid == "2.5.4.3" ? "device.example.test" : "Example";
        var subject = RawName([.. Enumerable.Repeat<(string, object)[]>([(oid, value)], times)]);

        var error = Refused(Request(subject, "device.example.test"), ErrorCodes.CertificateProfileViolation, oid);

        StringAssert.Contains(error.Message, "more than");
    }

    [TestMethod]
    public void FourOrganizationalUnits_AreAccepted()
    {
        var subject = RawName([.. Enumerable.Range(1, 4).Select(i => new (string, object)[] { ("2.5.4.11", "Unit " + i) })]);

        Assert.AreEqual("OU=Unit 4, OU=Unit 3, OU=Unit 2, OU=Unit 1", SigningRequestReader.Read(Request(subject, "device.example.test")).Subject.Name);
    }

    [TestMethod]
    [DataRow("2.5.4.10", "Exam\u0007ple", DisplayName = "a control character")]
    [DataRow("2.5.4.10", "Exam\nple", DisplayName = "a line feed")]
    [DataRow("2.5.4.10", "Example\u202Eelpmaxe", DisplayName = "a bidirectional override")]
    [DataRow("2.5.4.10", "Exam\u200Bple", DisplayName = "a zero-width space")]
    [DataRow("2.5.4.10", "", DisplayName = "empty")]
    [DataRow("2.5.4.10", "65", DisplayName = "65 characters")]
    [DataRow("2.5.4.6", "DEU", DisplayName = "a three-letter country")]
    [DataRow("2.5.4.6", "1A", DisplayName = "a country with a digit")]
    [DataRow("2.5.4.6", "D", DisplayName = "a one-letter country")]
    public void SubjectValueOfTheWrongForm_IsRefused(string oid, string value)
    {
        value = value == "65" ? new string('a', 65) : value;
        var subject = RawName([(oid, value)]);

        Refused(Request(subject, "device.example.test"), ErrorCodes.CertificateProfileViolation, oid + " " + value);
    }

    [TestMethod]
    public void SubjectValueOfSixtyFourCharacters_IsAccepted()
    {
        var organization = new string('a', 64);

        Assert.AreEqual("O=" + organization, SigningRequestReader.Read(Request(RawName([("2.5.4.10", organization)]), "device.example.test")).Subject.Name);
    }

    [TestMethod]
    public void SubjectValueThatIsNotAString_IsRefused()
    {
        var subject = RawName([("2.5.4.10", (byte[])[0x04, 0x02, 0x01, 0x02])]);

        var error = Refused(Request(subject, "device.example.test"), ErrorCodes.CertificateProfileViolation, "an OCTET STRING value");

        StringAssert.Contains(error.Message, "not a character string");
    }

    [TestMethod]
    public void EmptyRelativeName_IsRefused()
    {
        // Name ::= SEQUENCE { SET {} }: a relative distinguished name of no attribute (RFC 5280 requires at least one).
        var request = RawRequest([0x30, 0x02, 0x31, 0x00], ("2.5.29.17", AlternativeNames("device.example.test")));

        var error = Assert.ThrowsExactly<CertificateException>(() => SigningRequestReader.Read(request));

        Assert.IsTrue(error.ErrorCode is ErrorCodes.CertificateRequestMalformed or ErrorCodes.CertificateProfileViolation, error.ErrorCode + ": " + error.Message);
    }

    [TestMethod]
    public void SubjectThatDoesNotDecode_IsMalformed()
    {
        // Name ::= SEQUENCE { SET { SEQUENCE {} } }: an attribute without a type or a value.
        var request = RawRequest([0x30, 0x04, 0x31, 0x02, 0x30, 0x00], ("2.5.29.17", AlternativeNames("device.example.test")));

        Refused(request, ErrorCodes.CertificateRequestMalformed, "an empty AttributeTypeAndValue");
    }

    [TestMethod]
    [DataRow("CN=other.example.test", DisplayName = "another DNS name")]
    [DataRow("CN=device", DisplayName = "the first label only")]
    [DataRow("CN=192.0.2.2", DisplayName = "another address")]
    public void CommonNameThatIsNotOneOfTheNames_IsRefused(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("device.example.test");
        names.AddIpAddress(System.Net.IPAddress.Parse("192.0.2.1"));
        request.CertificateExtensions.Add(names.Build());

        var error = Refused(request.CreateSigningRequest(), ErrorCodes.CertificateProfileViolation, subject);

        StringAssert.Contains(error.Message, "none of its DNS names or IP addresses");
    }

    [TestMethod]
    [DataRow("CN=DEVICE.Example.Test", DisplayName = "a DNS name, in another case")]
    [DataRow("CN=2001:DB8::1", DisplayName = "an IPv6 address")]
    [DataRow("CN=192.0.2.1", DisplayName = "an IPv4 address")]
    public void CommonNameThatIsOneOfTheNames_IsAccepted(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("device.example.test");
        names.AddIpAddress(System.Net.IPAddress.Parse("192.0.2.1"));
        names.AddIpAddress(System.Net.IPAddress.Parse("2001:db8::1"));
        request.CertificateExtensions.Add(names.Build());

        Assert.AreEqual(subject, SigningRequestReader.Read(request.CreateSigningRequest()).Subject.Name);
    }

    [TestMethod]
    [DataRow("O=Example", DisplayName = "an organization only")]
    [DataRow("", DisplayName = "an empty subject")]
    public void RequestNamingNobody_IsRefused(string subject)
    {
        var error = Refused(Request(subject), ErrorCodes.CertificateProfileViolation, subject);

        StringAssert.Contains(error.Message, "names nobody");
    }

    [TestMethod]
    public void EmptySubjectWithNames_IsRebuiltEmpty()
    {
        var request = SigningRequestReader.Read(Request("", "device.example.test"));

        CollectionAssert.AreEqual(new byte[] { 0x30, 0x00 }, request.Subject.RawData);
    }

    [TestMethod]
    [DataRow("ed25519")]
    [DataRow("ed448")]
    [DataRow("rsa-pss")]
    public void KeyOfAnotherAlgorithm_IsRefusedWithTheSignatureCode(string algorithm)
    {
        string[] keyOptions = algorithm == "rsa-pss" ? ["-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048"] : ["-newkey", algorithm];
        var request = OpenSslRequest("/CN=device.example.test", "DNS:device.example.test", keyOptions);

        var error = Refused(request, ErrorCodes.CertificateRequestSignatureInvalid, algorithm);

        StringAssert.Contains(error.Message, "only ECDSA and RSA requests are accepted");
    }

    [TestMethod]
    public void RsaKeyOf1024Bits_IsRefused()
    {
        using var key = RSA.Create(1024);
        var request = new CertificateRequest("CN=device.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", AlternativeNames("device.example.test"), false));

        var error = Refused(request.CreateSigningRequest(), ErrorCodes.CertificateProfileViolation, "RSA-1024");

        StringAssert.Contains(error.Message, "1024 bits");
    }

    [TestMethod]
    public void RsaKeyWithExponentThree_IsRefused()
    {
        var request = OpenSslRequest("/CN=device.example.test", "DNS:device.example.test", "-newkey", "rsa:2048", "-pkeyopt", "rsa_keygen_pubexp:3");

        var error = Refused(request, ErrorCodes.CertificateProfileViolation, "e = 3");

        StringAssert.Contains(error.Message, "65537");
    }

    [TestMethod]
    public void EcdsaKeyWithExplicitCurveParameters_IsRefused()
    {
        var request = OpenSslRequest("/CN=device.example.test", "DNS:device.example.test",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-pkeyopt", "ec_param_enc:explicit");

        var error = Refused(request, ErrorCodes.CertificateProfileViolation, "explicit parameters");

        StringAssert.Contains(error.Message, "named curve");
    }

    [TestMethod]
    public void EcdsaKeyOnSecp256k1_IsRefused()
    {
        var request = OpenSslRequest("/CN=device.example.test", "DNS:device.example.test", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1");

        var error = Refused(request, ErrorCodes.CertificateProfileViolation, "secp256k1");

        StringAssert.Contains(error.Message, "1.3.132.0.10");
    }

    [TestMethod]
    public void AcceptedKeys_AreRead()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        using var rsa = RSA.Create(2048);
        CertificateRequest[] requests =
        [
            new("CN=device.example.test", p384, HashAlgorithmName.SHA384),
            new("CN=device.example.test", p521, HashAlgorithmName.SHA512),
            new("CN=device.example.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
        ];

        foreach (var request in requests)
        {
            request.CertificateExtensions.Add(new X509Extension("2.5.29.17", AlternativeNames("device.example.test"), false));
            Assert.AreEqual("CN=device.example.test", SigningRequestReader.Read(request.CreateSigningRequest()).Subject.Name);
        }
    }

    [TestMethod]
    [DataRow(new byte[] { 0x30, 0x03, 0x82, 0x05, 0x61 }, DisplayName = "a name longer than its SEQUENCE")]
    [DataRow(new byte[] { 0x04, 0x00 }, DisplayName = "an OCTET STRING, not a SEQUENCE")]
    [DataRow(new byte[] { 0x30, 0x03, 0x82, 0x01, 0x61, 0x00 }, DisplayName = "a byte after the SEQUENCE")]
    [DataRow(new byte[] { 0x30, 0x06, 0x87, 0x04, 0x0A, 0x00, 0x00 }, DisplayName = "a truncated IP address")]
    [DataRow(new byte[] { 0x30, 0x07, 0x87, 0x05, 0x0A, 0x00, 0x00, 0x01, 0x01 }, DisplayName = "a five-byte IP address")]
    [DataRow(new byte[] { 0x30, 0x00 }, DisplayName = "no name at all")]
    public void MalformedAlternativeNames_AreMalformed(byte[] value)
    {
        var request = RawRequest(new X500DistinguishedName("CN=device.example.test").RawData, ("2.5.29.17", value));

        Refused(request, ErrorCodes.CertificateRequestMalformed, Convert.ToHexString(value));
    }

    [TestMethod]
    public void TwoAlternativeNameExtensions_AreMalformed()
    {
        var request = RawRequest(new X500DistinguishedName("CN=device.example.test").RawData,
            ("2.5.29.17", AlternativeNames("device.example.test")), ("2.5.29.17", AlternativeNames("other.example.test")));

        Refused(request, ErrorCodes.CertificateRequestMalformed, "two SAN extensions");
    }

    [TestMethod]
    public void MoreThanAHundredNames_AreRefused()
    {
        var names = Enumerable.Range(0, SigningRequestReader.MaxNames + 1).Select(i => $"device-{i}.example.test").ToArray();

        var error = Refused(Request("", names), ErrorCodes.CertificateProfileViolation, "101 names");

        StringAssert.Contains(error.Message, "at most 100");
        Assert.HasCount(100, SigningRequestReader.Read(Request("", names[..100])).Names.DnsNames);
    }

    [TestMethod]
    public void RepeatedNames_AreKeptOnce()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=device.example.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("device.example.test");
        names.AddDnsName("DEVICE.example.test");
        names.AddDnsName("other.example.test");
        names.AddIpAddress(System.Net.IPAddress.Parse("192.0.2.1"));
        names.AddIpAddress(System.Net.IPAddress.Parse("2001:db8::1"));
        names.AddIpAddress(System.Net.IPAddress.Parse("2001:0db8:0:0::1"));
        names.AddIpAddress(System.Net.IPAddress.Parse("192.0.2.1"));
        request.CertificateExtensions.Add(names.Build());

        var read = SigningRequestReader.Read(request.CreateSigningRequest()).Names;

        CollectionAssert.AreEqual(new[] { "device.example.test", "other.example.test" }, read.DnsNames.ToArray());
        CollectionAssert.AreEqual(new[] { System.Net.IPAddress.Parse("192.0.2.1"), System.Net.IPAddress.Parse("2001:db8::1") }, read.IpAddresses.ToArray());
    }

    private static byte[] OpenSslRequest(string dnsName)
        => OpenSslRequest("/CN=device", "DNS:" + dnsName, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");

    // openssl req with the key options given (-newkey ... -pkeyopt ...), as a requester outside .NET would make it.
    private static byte[] OpenSslRequest(string subject, string? subjectAltName, params string[] keyOptions)
    {
        var folder = Path.Combine(Path.GetTempPath(), "keyinfra-tests", "csr-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var csr = Path.Combine(folder, "request.der");
            string[] arguments = ["req", "-new", .. keyOptions, "-nodes", "-keyout", Path.Combine(folder, "key.pem"), "-outform", "DER", "-out", csr, "-subj", subject];
            OpenSsl.Succeed(subjectAltName is null ? arguments : [.. arguments, "-addext", "subjectAltName=" + subjectAltName]);
            return File.ReadAllBytes(csr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static byte[] Request(string subject, params string[] dnsNames) => Request(new X500DistinguishedName(subject), dnsNames);

    private static byte[] Request(X500DistinguishedName subject, params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (dnsNames.Length > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var dnsName in dnsNames)
            {
                names.AddDnsName(dnsName);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        return request.CreateSigningRequest();
    }

    private static X500DistinguishedName Subject(Action<X500DistinguishedNameBuilder> build)
    {
        var builder = new X500DistinguishedNameBuilder();
        build(builder);
        return builder.Build();
    }

    // A Name written attribute by attribute, for what the BCL's builder will not write: each inner array is one
    // relative distinguished name (a SET OF), each attribute a UTF8String unless its value is given as DER.
    private static X500DistinguishedName RawName(params (string Oid, object Value)[][] relativeNames)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var attributes in relativeNames)
            {
                using (writer.PushSetOf())
                {
                    foreach (var (oid, value) in attributes)
                    {
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(oid);
                            if (value is byte[] der)
                            {
                                writer.WriteEncodedValue(der);
                            }
                            else
                            {
                                writer.WriteCharacterString(UniversalTagNumber.UTF8String, (string)value);
                            }
                        }
                    }
                }
            }
        }

        return new X500DistinguishedName(writer.Encode());
    }

    // A PKCS#10 request written with AsnWriter and signed with ECDSA P-256 / SHA-256, for what the BCL's
    // CertificateRequest will not write (two extensions of one type, a broken extension value, a broken subject).
    private static byte[] RawRequest(byte[] subject, params (string Oid, byte[] Value)[] extensions)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var info = new AsnWriter(AsnEncodingRules.DER);
        using (info.PushSequence())
        {
            info.WriteInteger(0);
            info.WriteEncodedValue(subject);
            info.WriteEncodedValue(key.ExportSubjectPublicKeyInfo());
            using (info.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                if (extensions.Length > 0)
                {
                    using (info.PushSequence())
                    {
                        info.WriteObjectIdentifier("1.2.840.113549.1.9.14");
                        using (info.PushSetOf())
                        using (info.PushSequence())
                        {
                            foreach (var (oid, value) in extensions)
                            {
                                using (info.PushSequence())
                                {
                                    info.WriteObjectIdentifier(oid);
                                    info.WriteOctetString(value);
                                }
                            }
                        }
                    }
                }
            }
        }

        var infoDer = info.Encode();
        var request = new AsnWriter(AsnEncodingRules.DER);
        using (request.PushSequence())
        {
            request.WriteEncodedValue(infoDer);
            using (request.PushSequence())
            {
                request.WriteObjectIdentifier("1.2.840.10045.4.3.2");
            }

            request.WriteBitString(key.SignData(infoDer, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        return request.Encode();
    }

    private static byte[] AlternativeNames(params string[] dnsNames)
    {
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dnsName in dnsNames)
        {
            names.AddDnsName(dnsName);
        }

        return names.Build().RawData;
    }

    private static CertificateException Refused(byte[] request, string expectedCode, string because)
    {
        var error = Assert.ThrowsExactly<CertificateException>(() => SigningRequestReader.Read(request), because);
        Assert.AreEqual(expectedCode, error.ErrorCode, $"{because}: {error.Message}");
        return error;
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
