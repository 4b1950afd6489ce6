using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Certificates;
using KeyInfra.Tests;

namespace KeyInfra.Core.Tests.Certificates;

/// <summary>
/// The PKCS#12 export: openssl reads it with the PIN and shows PBES2 / AES-256-CBC / PBKDF2-HMAC-SHA256 at the stated
/// iterations and a SHA-256 MAC; a wrong PIN opens nothing; .NET's own loader, at its default limits, reads it back with
/// a private key that matches the certificate.
/// </summary>
[TestClass]
public sealed class Pkcs12ExportTests
{
    private const string Pin = "correct horse battery";
    private static readonly DateTimeOffset s_now = DateTimeOffset.UtcNow;
    private static string s_folder = null!;

    [ClassInitialize]
    public static void CreateFolder(TestContext context)
    {
        _ = context;
        s_folder = Path.Combine(Path.GetTempPath(), "keyinfra-tests", "pkcs12-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(s_folder);
    }

    [ClassCleanup]
    public static void DeleteFolder() => Directory.Delete(s_folder, recursive: true);

    [TestMethod]
    public void Export_OpenSslReadsItWithThePin_WithModernEncryption_AndNotWithAnother()
    {
        var (root, device, _) = Issue();
        var path = Path.Combine(s_folder, "device.p12");
        File.WriteAllBytes(path, Pkcs12Export.Export(device, [root], Pin, withPrivateKey: true));

        var info = OpenSsl.Succeed("pkcs12", "-info", "-in", path, "-passin", "pass:" + Pin, "-nodes");
        var (wrongExit, wrongOutput) = OpenSsl.Run("pkcs12", "-info", "-in", path, "-passin", "pass:not the right one", "-nodes");

        StringAssert.Contains(info, "MAC: sha256");
        StringAssert.Contains(info, $"Iteration {Pkcs12Export.Iterations}");
        StringAssert.Contains(info, "PBES2, PBKDF2, AES-256-CBC");
        StringAssert.Contains(info, "PRF hmacWithSHA256");
        StringAssert.Contains(info, "BEGIN PRIVATE KEY");
        StringAssert.Contains(info, "CN = switch-1.example.test");
        StringAssert.Contains(info, "CN = Export Root CA");
        Assert.AreNotEqual(0, wrongExit);
        Assert.DoesNotContain("BEGIN PRIVATE KEY", wrongOutput);
    }

    [TestMethod]
    public void Export_DotNetLoadsItBack_WithAKeyThatMatchesTheCertificate()
    {
        var (root, device, _) = Issue();

        var loaded = X509CertificateLoader.LoadPkcs12Collection(Pkcs12Export.Export(device, [root], Pin, withPrivateKey: true), Pin, X509KeyStorageFlags.EphemeralKeySet);

        Assert.HasCount(2, loaded);
        var leaf = loaded.Single(c => c.HasPrivateKey);
        Assert.AreEqual(device.Thumbprint, leaf.Thumbprint);
        using var key = leaf.GetECDsaPrivateKey()!;
        var data = "proof of possession"u8.ToArray();
        using var publicKey = leaf.GetECDsaPublicKey()!;
        Assert.IsTrue(publicKey.VerifyData(data, key.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
        Assert.IsFalse(loaded.Single(c => !c.HasPrivateKey).HasPrivateKey);
    }

    [TestMethod]
    public void ShortPin_CertificateWithoutItsKey_AndAChainWithAKey_AreRefused()
    {
        var (root, device, rootWithKey) = Issue();
        using var withoutKey = X509CertificateLoader.LoadCertificate(device.RawData);

        var shortPin = Assert.ThrowsExactly<ArgumentException>(() => Pkcs12Export.Export(device, [root], "eleven char", withPrivateKey: true));
        var noKey = Assert.ThrowsExactly<ArgumentException>(() => Pkcs12Export.Export(withoutKey, [root], Pin, withPrivateKey: true));
        var keyedChain = Assert.ThrowsExactly<ArgumentException>(() => Pkcs12Export.Export(device, [rootWithKey], Pin, withPrivateKey: true));
        var unexpectedKey = Assert.ThrowsExactly<ArgumentException>(() => Pkcs12Export.Export(device, [root], Pin, withPrivateKey: false));

        StringAssert.Contains(shortPin.Message, "at least 12 characters");
        Assert.DoesNotContain("eleven", shortPin.Message);
        StringAssert.Contains(noKey.Message, "no private key");
        StringAssert.Contains(keyedChain.Message, "carries a private key");
        StringAssert.Contains(unexpectedKey.Message, "asked without it");
    }

    private static (X509Certificate2 Root, X509Certificate2 Device, X509Certificate2 RootWithKey) Issue()
    {
        var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = CertificateIssuer.Issue(CertificateProfile.RootAuthority, new X500DistinguishedName("CN=Export Root CA"),
            new CertificateRequest("CN=x", rootKey, HashAlgorithmName.SHA256).PublicKey, CertificateNames.None, null,
            X509SignatureGenerator.CreateForECDsa(rootKey), HashAlgorithmName.SHA256, (s_now.AddMinutes(-5), s_now.AddDays(365)), CertificateSerialNumber.New(), null);
        using var device = CertificateIssuer.Issue(CertificateProfile.NetworkDevice, new X500DistinguishedName("CN=switch-1.example.test"),
            new CertificateRequest("CN=x", deviceKey, HashAlgorithmName.SHA256).PublicKey, new CertificateNames(["switch-1.example.test"], []), root,
            X509SignatureGenerator.CreateForECDsa(rootKey), HashAlgorithmName.SHA256, (s_now, s_now.AddDays(30)), CertificateSerialNumber.New(), null);
        return (root, device.CopyWithPrivateKey(deviceKey), root.CopyWithPrivateKey(rootKey));
    }
}
