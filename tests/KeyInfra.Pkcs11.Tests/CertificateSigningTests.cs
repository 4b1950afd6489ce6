using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Certificates;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Tests;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>
/// A certificate authority whose key never leaves the SoftHSM2 token: <see cref="KeySignatureGenerator"/> over an HSM
/// key signs a root and a leaf through the BCL's <see cref="CertificateRequest"/>, and openssl and
/// <see cref="X509Chain"/> accept the chain.
/// </summary>
[TestClass]
public sealed class CertificateSigningTests
{
    private const string Slot = "certificates";

    [TestMethod]
    [DataRow("ecdsa-p256", "SHA256", RsaPadding.Pkcs1)]
    [DataRow("ecdsa-p384", "SHA384", RsaPadding.Pkcs1)]
    [DataRow("rsa-2048", "SHA256", RsaPadding.Pkcs1)]
    [DataRow("rsa-2048", "SHA256", RsaPadding.Pss)]
    [DataRow("ed25519", "SHA256", RsaPadding.Pkcs1)]
    public async Task RootAndLeaf_SignedInTheToken_VerifyWithOpenSslAndX509Chain(string spec, string hash, RsaPadding padding)
    {
        await using var host = await Pkcs11TestHost.StartAsync();
        await host.AddSlotAsync(Slot, SoftHsm.Token, SoftHsm.Pin);
        var key = await host.CreateHsmKeyAsync(KeySpec.Parse(spec), Slot);
        var generator = new KeySignatureGenerator(host.Signer, key, padding);
        var hashAlgorithm = new HashAlgorithmName(hash);

        var rootName = new X500DistinguishedName($"CN=KeyInfra HSM root {spec}");
        var rootRequest = new CertificateRequest(rootName, generator.PublicKey, hashAlgorithm);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var root = rootRequest.Create(rootName, generator, now.AddMinutes(-5), now.AddYears(1), [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=router-7.example.test", leafKey, hashAlgorithm);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var leaf = leafRequest.Create(root.SubjectName, generator, now.AddMinutes(-1), now.AddDays(30), [0x02, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);

        var rootPem = Path.Combine(host.Folder, $"hsm-{spec}-{padding}-root.pem");
        var leafPem = Path.Combine(host.Folder, $"hsm-{spec}-{padding}-leaf.pem");
        await File.WriteAllTextAsync(rootPem, root.ExportCertificatePem());
        await File.WriteAllTextAsync(leafPem, leaf.ExportCertificatePem());
        StringAssert.Contains(OpenSsl.Succeed("verify", "-CAfile", rootPem, leafPem), ": OK");
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.IsTrue(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }
}
