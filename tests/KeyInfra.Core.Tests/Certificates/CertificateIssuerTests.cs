using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Certificates;
using KeyInfra.Errors;
using KeyInfra.Tests;

namespace KeyInfra.Core.Tests.Certificates;

/// <summary>
/// A root, an intermediate and a network device's certificate issued from a signing request, checked by openssl and by
/// <see cref="X509Chain"/>; and everything a profile or an issuer does not allow, refused. The authorities sign with the
/// BCL's own generator here (the KeyInfra signer's generator is tested with the engine, in the SQLite and PKCS#11 tests).
/// </summary>
[TestClass]
public sealed class CertificateIssuerTests
{
    private static readonly DateTimeOffset s_now = DateTimeOffset.UtcNow;
    private static string s_folder = null!;

    [ClassInitialize]
    public static void CreateFolder(TestContext context)
    {
        _ = context;
        s_folder = Path.Combine(Path.GetTempPath(), "keyinfra-tests", "certificates-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(s_folder);
    }

    [ClassCleanup]
    public static void DeleteFolder() => Directory.Delete(s_folder, recursive: true);

    [TestMethod]
    public void RootIntermediateAndDevice_FromADeviceRequest_VerifyWithOpenSslAndX509Chain()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var intermediate = Intermediate(root, rootKey, intermediateKey);

        // The device asks for more than it gets: a CA basic constraint and key usage of its own are dropped.
        var csr = new CertificateRequest("CN=switch-12.example.test, O=Example", deviceKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("Switch-12.Example.Test");
        names.AddIpAddress(IPAddress.Parse("10.0.0.12"));
        csr.CertificateExtensions.Add(names.Build());
        csr.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        csr.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var request = SigningRequestReader.Read(csr.CreateSigningRequest());

        using var device = CertificateIssuer.Issue(CertificateProfile.NetworkDevice, request.Subject, request.PublicKey, request.Names,
            intermediate, X509SignatureGenerator.CreateForECDsa(intermediateKey), HashAlgorithmName.SHA256, (s_now, s_now.AddDays(90)),
            CertificateSerialNumber.New(), new Uri("http://pki.example.test/intermediate.crl"));

        var (rootPem, intermediatePem, devicePem) = (Write("root", root), Write("intermediate", intermediate), Write("device", device));
        StringAssert.Contains(OpenSsl.Succeed("verify", "-CAfile", rootPem, "-untrusted", intermediatePem, devicePem), ": OK");
        StringAssert.Contains(OpenSsl.Succeed("verify", "-CAfile", rootPem, "-untrusted", intermediatePem, "-purpose", "sslserver", devicePem), ": OK");
        StringAssert.Contains(OpenSsl.Succeed("verify", "-CAfile", rootPem, "-untrusted", intermediatePem, "-purpose", "sslclient", devicePem), ": OK");
        var text = OpenSsl.Succeed("x509", "-in", devicePem, "-noout", "-text");
        StringAssert.Contains(text, "CA:FALSE");
        StringAssert.Contains(text, "DNS:switch-12.example.test");
        StringAssert.Contains(text, "IP Address:10.0.0.12");
        StringAssert.Contains(text, "TLS Web Server Authentication, TLS Web Client Authentication");
        StringAssert.Contains(text, "URI:http://pki.example.test/intermediate.crl");
        Assert.DoesNotContain("Certificate Sign", text, "the key usage the request asked for was dropped");
        Assert.IsTrue(BuildChain(root, intermediate, device, out var status), status);

        // The intermediate is limited to end entities: openssl refuses a further authority under it.
        StringAssert.Contains(OpenSsl.Succeed("x509", "-in", intermediatePem, "-noout", "-text"), "CA:TRUE, pathlen:0");
    }

    [TestMethod]
    public void RequestMadeByOpenSsl_IsReadAndIssued()
    {
        var keyPath = Path.Combine(s_folder, "openssl-device.key");
        var csrPath = Path.Combine(s_folder, "openssl-device.csr");
        OpenSsl.Succeed("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyPath, "-out", csrPath,
            "-subj", "/CN=ap-3.example.test", "-addext", "subjectAltName=DNS:ap-3.example.test,IP:192.0.2.3,IP:2001:db8::3");
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);

        var request = SigningRequestReader.Read(File.ReadAllBytes(csrPath));
        using var device = CertificateIssuer.Issue(CertificateProfile.NetworkDeviceServer, request.Subject, request.PublicKey, request.Names,
            root, X509SignatureGenerator.CreateForECDsa(rootKey), HashAlgorithmName.SHA256, (s_now, s_now.AddDays(30)), CertificateSerialNumber.New(), null);

        CollectionAssert.AreEqual(new[] { "ap-3.example.test" }, request.Names.DnsNames.ToArray());
        CollectionAssert.AreEqual(new[] { IPAddress.Parse("192.0.2.3"), IPAddress.Parse("2001:db8::3") }, request.Names.IpAddresses.ToArray());
        var devicePem = Write("openssl-device", device);
        StringAssert.Contains(OpenSsl.Succeed("verify", "-CAfile", Write("openssl-root", root), devicePem), ": OK");

        // The certificate is for the key that made the request: openssl's own private key matches it.
        var fromKey = OpenSsl.Succeed("pkey", "-in", keyPath, "-pubout");
        var fromCertificate = OpenSsl.Succeed("x509", "-in", devicePem, "-noout", "-pubkey");
        Assert.AreEqual(fromKey.Trim(), fromCertificate.Trim());
    }

    [TestMethod]
    public void SerialNumbers_AreSixteenPositiveBytes_AndDoNotRepeat()
    {
        var serials = Enumerable.Range(0, 2000).Select(_ => CertificateSerialNumber.New()).ToList();

        Assert.IsTrue(serials.TrueForAll(s => s.Length == 16 && s[0] is > 0 and < 0x80));
        Assert.HasCount(serials.Count, serials.Select(Convert.ToHexString).Distinct());
    }

    [TestMethod]
    public void ValidityLongerThanTheProfiles_IsRefused()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.ThrowsExactly<CertificateException>(() => IssueDevice(root, rootKey, deviceKey, CertificateProfile.NetworkDevice, (s_now, s_now.AddDays(398))));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "at most 397");
    }

    [TestMethod]
    public void CertificateOutlivingItsIssuer_IsRefused()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey, validFor: TimeSpan.FromDays(30));
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.ThrowsExactly<CertificateException>(() => IssueDevice(root, rootKey, deviceKey, CertificateProfile.NetworkDevice, (s_now, s_now.AddDays(60))));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "never outlives");
    }

    [TestMethod]
    public void IssuerThatIsNotAnAuthority_IsRefused()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var device = IssueDevice(root, rootKey, deviceKey, CertificateProfile.NetworkDevice, (s_now, s_now.AddDays(30)));
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.ThrowsExactly<CertificateException>(() => IssueDevice(device, deviceKey, otherKey, CertificateProfile.NetworkDevice, (s_now, s_now.AddDays(10))));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "is not a certificate authority");
    }

    [TestMethod]
    public void AuthorityUnderAPathLengthZeroIssuer_IsRefused()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediate = Intermediate(root, rootKey, intermediateKey);
        using var subKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.ThrowsExactly<CertificateException>(() => CertificateIssuer.Issue(CertificateProfile.IntermediateAuthority, new X500DistinguishedName("CN=Sub CA"),
            new CertificateRequest("CN=x", subKey, HashAlgorithmName.SHA256).PublicKey, CertificateNames.None, intermediate,
            X509SignatureGenerator.CreateForECDsa(intermediateKey), HashAlgorithmName.SHA256, (s_now, s_now.AddDays(30)), CertificateSerialNumber.New(), null));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "path length 0");
    }

    [TestMethod]
    public void NamesTheProfileDoesNotAllow_AreRefused()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var noIps = CertificateProfile.NetworkDevice with { Name = "dns-only", AllowIpAddresses = false };

        var error = Assert.ThrowsExactly<CertificateException>(() => CertificateIssuer.Issue(noIps, new X500DistinguishedName("CN=x"),
            new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).PublicKey, new CertificateNames([], [IPAddress.Loopback]), root,
            X509SignatureGenerator.CreateForECDsa(rootKey), HashAlgorithmName.SHA256, (s_now, s_now.AddDays(30)), CertificateSerialNumber.New(), null));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "does not allow IP addresses");
    }

    [TestMethod]
    public void SelfSignedLeaf_AndSelfSignedWithAnotherKey_AreRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).PublicKey;

        var leaf = Assert.ThrowsExactly<CertificateException>(() => CertificateIssuer.Issue(CertificateProfile.NetworkDevice, new X500DistinguishedName("CN=x"), publicKey,
            CertificateNames.None, null, X509SignatureGenerator.CreateForECDsa(key), HashAlgorithmName.SHA256, (s_now, s_now.AddDays(30)), CertificateSerialNumber.New(), null));
        var foreign = Assert.ThrowsExactly<CertificateException>(() => CertificateIssuer.Issue(CertificateProfile.RootAuthority, new X500DistinguishedName("CN=x"), publicKey,
            CertificateNames.None, null, X509SignatureGenerator.CreateForECDsa(other), HashAlgorithmName.SHA256, (s_now, s_now.AddDays(30)), CertificateSerialNumber.New(), null));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, leaf.ErrorCode);
        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, foreign.ErrorCode);
        StringAssert.Contains(leaf.Message, "Only an authority's certificate is self-signed");
        StringAssert.Contains(foreign.Message, "signed by its own key");
    }

    [TestMethod]
    public void ValidityEndingBeforeItStarts_IsRefused()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.ThrowsExactly<CertificateException>(() => IssueDevice(root, rootKey, deviceKey, CertificateProfile.NetworkDevice, (s_now.AddDays(2), s_now.AddDays(1))));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "before it starts");
    }

    [TestMethod]
    public void GeneratorWithAnotherKeyThanTheIssuers_IsRefused()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.ThrowsExactly<CertificateException>(() => IssueDevice(root, otherKey, deviceKey, CertificateProfile.NetworkDevice, (s_now, s_now.AddDays(30))));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "is not the key of the issuer");
    }

    [TestMethod]
    public void DnsNamesUnderAProfileWithoutThem_AreRefused()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.ThrowsExactly<CertificateException>(() => Issue(CertificateProfile.IntermediateAuthority, "CN=Sub CA", key, new CertificateNames(["ca.example.test"], []), root, rootKey));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "does not allow DNS names");
    }

    [TestMethod]
    public void EmptySubjectWithoutNames_IsRefused_AndWithNamesMarksThemCritical()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest(new X500DistinguishedName(""), deviceKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("device.example.test");
        csr.CertificateExtensions.Add(names.Build());
        var request = SigningRequestReader.Read(csr.CreateSigningRequest());

        var error = Assert.ThrowsExactly<CertificateException>(() => CertificateIssuer.Issue(CertificateProfile.NetworkDevice, request.Subject, request.PublicKey,
            CertificateNames.None, root, X509SignatureGenerator.CreateForECDsa(rootKey), HashAlgorithmName.SHA256, (s_now, s_now.AddDays(30)), CertificateSerialNumber.New(), null));
        using var device = CertificateIssuer.Issue(CertificateProfile.NetworkDevice, request.Subject, request.PublicKey, request.Names, root,
            X509SignatureGenerator.CreateForECDsa(rootKey), HashAlgorithmName.SHA256, (s_now, s_now.AddDays(30)), CertificateSerialNumber.New(), null);

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "would name nobody");
        Assert.IsTrue(device.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Critical);
    }

    [TestMethod]
    [DataRow(null, DisplayName = "no path length")]
    [DataRow(1, DisplayName = "the issuer's own path length")]
    [DataRow(2, DisplayName = "a longer one")]
    public void AuthorityUnderAPathLengthOneIssuer_WithoutAShorterPathLength_IsRefused(int? pathLength)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey, profile: CertificateProfile.RootAuthority with { Name = "root-ca-1", PathLength = 1 });
        using var subKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var profile = CertificateProfile.IntermediateAuthority with { Name = "sub-ca", PathLength = pathLength };

        var error = Assert.ThrowsExactly<CertificateException>(() => Issue(profile, "CN=Sub CA", subKey, CertificateNames.None, root, rootKey));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "must have a path length below 1");
    }

    [TestMethod]
    public void AuthorityUnderAPathLengthOneIssuer_WithPathLengthZero_IsIssued()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey, profile: CertificateProfile.RootAuthority with { Name = "root-ca-1", PathLength = 1 });
        using var subKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var sub = Issue(CertificateProfile.IntermediateAuthority, "CN=Sub CA", subKey, CertificateNames.None, root, rootKey);

        var constraints = sub.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.IsTrue(constraints.HasPathLengthConstraint);
        Assert.AreEqual(0, constraints.PathLengthConstraint);
    }

    [TestMethod]
    public void IssuerWithoutASubjectKeyIdentifier_IsRefusedWithItsCode()
    {
        // An authority's certificate made elsewhere, without the subject key identifier the authority key identifier needs.
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Foreign CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(s_now.AddMinutes(-5), s_now.AddDays(365));
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.ThrowsExactly<CertificateException>(() => IssueDevice(ca, caKey, deviceKey, CertificateProfile.NetworkDevice, (s_now, s_now.AddDays(30))));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "has no subject key identifier");
    }

    [TestMethod]
    [DataRow("", DisplayName = "empty")]
    [DataRow("00", DisplayName = "zero")]
    [DataRow("0000000000000001", DisplayName = "a leading zero byte")]
    [DataRow("80", DisplayName = "the sign bit set")]
    [DataRow("FF01", DisplayName = "negative")]
    [DataRow("010203040506070809101112131415161718192021", DisplayName = "21 bytes")]
    public void SerialNumberThatIsNotAPositiveDerIntegerOfTwentyBytes_IsRefused(string serialHex)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.ThrowsExactly<ArgumentException>(() => Issue(CertificateProfile.NetworkDevice, "CN=device.example.test", key,
            new CertificateNames(["device.example.test"], []), root, rootKey, Convert.FromHexString(serialHex)));

        Assert.AreEqual("serialNumber", error.ParamName);
    }

    [TestMethod]
    [DataRow("01", DisplayName = "one byte")]
    [DataRow("7F01020304050607080910111213141516171819", DisplayName = "20 bytes")]
    public void SerialNumberOfOneToTwentyBytes_IsIssuedAsGiven(string serialHex)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var device = Issue(CertificateProfile.NetworkDevice, "CN=device.example.test", key, new CertificateNames(["device.example.test"], []), root, rootKey,
            Convert.FromHexString(serialHex));

        Assert.AreEqual(serialHex, device.SerialNumber);
    }

    [TestMethod]
    [DataRow(X509KeyUsageFlags.None, false, "no key usage")]
    [DataRow(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, false, "only an authority")]
    [DataRow(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.CrlSign, false, "only an authority")]
    [DataRow(X509KeyUsageFlags.CrlSign, true, "without keyCertSign")]
    [DataRow(X509KeyUsageFlags.None, true, "no key usage")]
    public void InconsistentProfile_IsRefused(X509KeyUsageFlags usage, bool authority, string expected)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var profile = (authority ? CertificateProfile.IntermediateAuthority : CertificateProfile.NetworkDevice) with { Name = "inconsistent", KeyUsage = usage };
        var names = authority ? CertificateNames.None : new CertificateNames(["device.example.test"], []);

        var error = Assert.ThrowsExactly<ArgumentException>(() => Issue(profile, "CN=device.example.test", key, names, root, rootKey));

        Assert.AreEqual("profile", error.ParamName);
        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    [DataRow("serverAuth")]
    [DataRow("1")]
    [DataRow("3.1")]
    [DataRow("1.40")]
    [DataRow("1.3.06.1")]
    [DataRow("1..3")]
    [DataRow("1.3.")]
    [DataRow(" 1.3.6")]
    [DataRow("")]
    public void ExtendedKeyUsageThatIsNotAnOid_IsRefused(string oid)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => CertificateProfile.NetworkDevice with { Name = "odd", ExtendedKeyUsages = [CertificateProfile.ServerAuthentication, oid] });

        Assert.AreEqual(nameof(CertificateProfile.ExtendedKeyUsages), error.ParamName);
    }

    [TestMethod]
    public void ExtendedKeyUsagesOfAnyArcs_AreAccepted()
    {
        var profile = CertificateProfile.NetworkDevice with { Name = "odd", ExtendedKeyUsages = ["2.999.1", "1.39.4", "0.0", "1.3.6.1.4.1.311.10.3.4"] };

        Assert.HasCount(4, profile.ExtendedKeyUsages);
    }

    [TestMethod]
    public void ExtendedKeyUsages_AreCopied_SoChangingTheCallersListChangesNothing()
    {
        var purposes = new List<string> { CertificateProfile.ServerAuthentication };
        var profile = CertificateProfile.NetworkDevice with { Name = "copied", ExtendedKeyUsages = purposes };

        purposes.Add(CertificateProfile.ClientAuthentication);
        purposes[0] = "1.2.3.4";

        CollectionAssert.AreEqual(new[] { CertificateProfile.ServerAuthentication }, profile.ExtendedKeyUsages.ToArray());
    }

    [TestMethod]
    public void Wildcard_IsRefusedUnlessTheProfileAllowsIt()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = new CertificateNames(["*.devices.example.test"], []);

        var error = Assert.ThrowsExactly<CertificateException>(() => Issue(CertificateProfile.NetworkDeviceServer, "", key, names, root, rootKey));
        using var wildcard = Issue(CertificateProfile.NetworkDeviceServer with { Name = "wildcard-server", AllowWildcards = true }, "", key, names, root, rootKey);

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "does not allow wildcard names");
        Assert.AreEqual("*.devices.example.test", wildcard.GetNameInfo(X509NameType.DnsName, forIssuer: false));
        Assert.IsTrue(CertificateProfile.BuiltIn.All(p => !p.AllowWildcards), "no built-in profile allows wildcards");
    }

    [TestMethod]
    [DataRow("Device.Example.Test", DisplayName = "upper case")]
    [DataRow("localhost", DisplayName = "a single label")]
    [DataRow("10.0.0.1", DisplayName = "an IPv4 address as a DNS name")]
    [DataRow("xn--a.example.test", DisplayName = "an A-label that is not Punycode")]
    [DataRow("under_score.example.test", DisplayName = "an underscore")]
    public void NameThatIsNotALowerCaseDnsName_IsRefused(string name)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Root(rootKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.ThrowsExactly<CertificateException>(() => Issue(CertificateProfile.NetworkDevice, "", key, new CertificateNames([name], []), root, rootKey));

        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, error.ErrorCode);
        StringAssert.Contains(error.Message, "is not a lower-case DNS name");
    }

    private static X509Certificate2 Issue(CertificateProfile profile, string subject, ECDsa key, CertificateNames names, X509Certificate2 issuer, ECDsa issuerKey, byte[]? serialNumber = null)
    {
        var publicKey = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).PublicKey;
        return CertificateIssuer.Issue(profile, new X500DistinguishedName(subject), publicKey, names, issuer, X509SignatureGenerator.CreateForECDsa(issuerKey), HashAlgorithmName.SHA256,
            (s_now, s_now.AddDays(30)), serialNumber ?? CertificateSerialNumber.New(), null);
    }

    private static X509Certificate2 Root(ECDsa key, TimeSpan? validFor = null, CertificateProfile? profile = null)
    {
        var publicKey = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).PublicKey;
        return CertificateIssuer.Issue(profile ?? CertificateProfile.RootAuthority, new X500DistinguishedName("CN=Example Root CA, O=Example"), publicKey, CertificateNames.None,
            null, X509SignatureGenerator.CreateForECDsa(key), HashAlgorithmName.SHA384, (s_now.AddMinutes(-5), s_now + (validFor ?? TimeSpan.FromDays(3650))),
            CertificateSerialNumber.New(), null);
    }

    private static X509Certificate2 Intermediate(X509Certificate2 root, ECDsa rootKey, ECDsa key)
    {
        var publicKey = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).PublicKey;
        return CertificateIssuer.Issue(CertificateProfile.IntermediateAuthority, new X500DistinguishedName("CN=Example Device CA, O=Example"), publicKey, CertificateNames.None,
            root, X509SignatureGenerator.CreateForECDsa(rootKey), HashAlgorithmName.SHA384, (s_now.AddMinutes(-1), s_now.AddDays(1000)),
            CertificateSerialNumber.New(), new Uri("http://pki.example.test/root.crl"));
    }

    private static X509Certificate2 IssueDevice(X509Certificate2 issuer, ECDsa issuerKey, ECDsa key, CertificateProfile profile, (DateTimeOffset, DateTimeOffset) validity)
    {
        var publicKey = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).PublicKey;
        return CertificateIssuer.Issue(profile, new X500DistinguishedName("CN=device.example.test"), publicKey, new CertificateNames(["device.example.test"], []),
            issuer, X509SignatureGenerator.CreateForECDsa(issuerKey), HashAlgorithmName.SHA256, validity, CertificateSerialNumber.New(), null);
    }

    private static string Write(string name, X509Certificate2 certificate)
    {
        var path = Path.Combine(s_folder, name + ".pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private static bool BuildChain(X509Certificate2 root, X509Certificate2 intermediate, X509Certificate2 leaf, out string status)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(intermediate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(CertificateProfile.ServerAuthentication));
        var built = chain.Build(leaf);
        status = string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation}"));
        return built;
    }
}
