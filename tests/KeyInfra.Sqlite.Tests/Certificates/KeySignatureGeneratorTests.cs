using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Certificates;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Sqlite.Tests.Engine;
using KeyInfra.Tests;

namespace KeyInfra.Sqlite.Tests.Certificates;

/// <summary>
/// <see cref="KeySignatureGenerator"/>: the BCL's <see cref="CertificateRequest"/> and
/// <see cref="CertificateRevocationListBuilder"/> signing with KeyInfra keys. What is made is checked by openssl and by
/// .NET's <see cref="X509Chain"/> under a custom trust store, and a certificate with one byte of its signature changed is
/// refused by both (so the checks can fail).
/// </summary>
[TestClass]
public sealed class KeySignatureGeneratorTests
{
    private static KeyInfraTestHost s_host = null!;
    private static string s_folder = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        s_host = await KeyInfraTestHost.StartAsync();
        s_folder = Path.Combine(s_host.Folder, "certificates");
        Directory.CreateDirectory(s_folder);
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await s_host.DisposeAsync();
        KeyInfraTestHost.DeleteFolder(s_host.Folder);
    }

    [TestMethod]
    [DataRow("ecdsa-p256", "SHA256", RsaPadding.Pkcs1)]
    [DataRow("ecdsa-p384", "SHA384", RsaPadding.Pkcs1)]
    [DataRow("ecdsa-p521", "SHA512", RsaPadding.Pkcs1)]
    [DataRow("rsa-2048", "SHA256", RsaPadding.Pkcs1)]
    [DataRow("rsa-3072", "SHA384", RsaPadding.Pss)]
    public async Task RootAndLeaf_SignedByAKeyInfraKey_VerifyWithOpenSslAndX509Chain(string spec, string hash, RsaPadding padding)
    {
        var generator = await GeneratorAsync(spec, padding);
        var hashAlgorithm = new HashAlgorithmName(hash);
        using var root = CreateRoot(generator, hashAlgorithm, $"CN=KeyInfra test root {spec}");
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = CreateLeaf(root, generator, hashAlgorithm, leafKey);

        var (rootPem, leafPem) = Write(spec, root, leaf);

        StringAssert.Contains(OpenSsl.Succeed("verify", "-CAfile", rootPem, leafPem), ": OK");
        Assert.IsTrue(BuildChain(root, leaf, out var status), status);
        Assert.AreEqual(root.SignatureAlgorithm.Value, leaf.SignatureAlgorithm.Value, "both signed by the generator with the same hash");
        var text = OpenSsl.Succeed("x509", "-in", leafPem, "-noout", "-text");
        StringAssert.Contains(text, padding == RsaPadding.Pss && spec.StartsWith("rsa", StringComparison.Ordinal) ? "rsassaPss" : spec.StartsWith("rsa", StringComparison.Ordinal) ? "WithRSAEncryption" : "ecdsa-with-");
    }

    [TestMethod]
    public async Task Ed25519Root_OpenSslAndX509ChainVerifyTheChain()
    {
        var generator = await GeneratorAsync("ed25519", RsaPadding.Pkcs1);
        using var root = CreateRoot(generator, HashAlgorithmName.SHA256, "CN=KeyInfra test root ed25519");
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = CreateLeaf(root, generator, HashAlgorithmName.SHA256, leafKey);

        var (rootPem, leafPem) = Write("ed25519", root, leaf);

        StringAssert.Contains(OpenSsl.Succeed("verify", "-CAfile", rootPem, leafPem), ": OK");
        Assert.AreEqual("1.3.101.112", leaf.SignatureAlgorithm.Value);
        StringAssert.Contains(OpenSsl.Succeed("x509", "-in", leafPem, "-noout", "-text"), "Signature Algorithm: ED25519");
        Assert.IsTrue(BuildChain(root, leaf, out var status), status);
    }

    [TestMethod]
    [DataRow("ecdsa-p256")]
    [DataRow("rsa-2048")]
    [DataRow("ed25519")]
    public async Task LeafWithItsSignatureChanged_IsRefusedByOpenSslAndX509Chain(string spec)
    {
        var generator = await GeneratorAsync(spec, RsaPadding.Pkcs1);
        using var root = CreateRoot(generator, HashAlgorithmName.SHA256, $"CN=KeyInfra tamper root {spec}");
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = CreateLeaf(root, generator, HashAlgorithmName.SHA256, leafKey);

        // The signature is the certificate's last bytes: change one near the end.
        var der = leaf.RawData;
        der[^3] ^= 0x01;
        using var tampered = X509CertificateLoader.LoadCertificate(der);
        var (rootPem, tamperedPem) = Write(spec + "-tampered", root, tampered);

        var (exitCode, output) = OpenSsl.Run("verify", "-CAfile", rootPem, tamperedPem);
        Assert.AreNotEqual(0, exitCode, output);
        StringAssert.Contains(output, "signature");
        Assert.IsFalse(BuildChain(root, tampered, out _));
    }

    [TestMethod]
    public async Task Crl_SignedByAKeyInfraKey_VerifiesWithOpenSsl()
    {
        var generator = await GeneratorAsync("ecdsa-p256", RsaPadding.Pkcs1);
        using var root = CreateRoot(generator, HashAlgorithmName.SHA256, "CN=KeyInfra CRL root");
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry([0x01, 0x02, 0x03], DateTimeOffset.UtcNow.AddMinutes(-1), X509RevocationReason.KeyCompromise);
        var now = DateTimeOffset.UtcNow;

        var crl = builder.Build(root.SubjectName, generator, 1, now.AddDays(7), HashAlgorithmName.SHA256,
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, includeKeyIdentifier: true, includeIssuerAndSerial: false), now);

        var (rootPem, _) = Write("crl", root, root);
        var crlPath = Path.Combine(s_folder, "crl.der");
        await File.WriteAllBytesAsync(crlPath, crl);
        var output = OpenSsl.Succeed("crl", "-inform", "DER", "-in", crlPath, "-CAfile", rootPem, "-noout", "-verify", "-text");
        StringAssert.Contains(output, "verify OK");
        StringAssert.Contains(output, "Key Compromise");
    }

    [TestMethod]
    public async Task RevokedKey_SignsNothing_TheSignersErrorReachesTheCaller()
    {
        var generator = await GeneratorAsync("ecdsa-p256", RsaPadding.Pkcs1);
        await s_host.Get<IKeyStore>().RevokeAsync(generator.Key.Id, RevocationReason.KeyCompromise);

        Assert.ThrowsExactly<KeyStateException>(() => CreateRoot(generator, HashAlgorithmName.SHA256, "CN=KeyInfra revoked root"));
    }

    [TestMethod]
    public async Task KeyWithoutPrivateKey_IsRefusedAtOnce()
    {
        using var outside = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var imported = await s_host.Get<IKeyStore>().ImportAsync(new ImportKeyRequest("public only", outside.ExportSubjectPublicKeyInfo(), KeyFormat.Der));

        var error = Assert.ThrowsExactly<ArgumentException>(() => new KeySignatureGenerator(s_host.Get<ISigner>(), imported));

        StringAssert.Contains(error.Message, "no private key");
    }

    private static async Task<KeySignatureGenerator> GeneratorAsync(string spec, RsaPadding padding)
    {
        var key = await s_host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Parse(spec), $"ca {spec} {Guid.NewGuid():N}"));
        return new KeySignatureGenerator(s_host.Get<ISigner>(), key, padding);
    }

    private static X509Certificate2 CreateRoot(KeySignatureGenerator generator, HashAlgorithmName hash, string subject)
    {
        var name = new X500DistinguishedName(subject);
        var request = new CertificateRequest(name, generator.PublicKey, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.Create(name, generator, now.AddMinutes(-5), now.AddYears(1), RandomNumberGenerator.GetBytes(16).Select((b, i) => i == 0 ? (byte)(b & 0x7F) : b).ToArray());
    }

    private static X509Certificate2 CreateLeaf(X509Certificate2 root, KeySignatureGenerator generator, HashAlgorithmName hash, ECDsa leafKey)
    {
        // The request's hash is the one its issuer signs with.
        var request = new CertificateRequest("CN=device-1.example.test", leafKey, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var now = DateTimeOffset.UtcNow;
        return request.Create(root.SubjectName, generator, now.AddMinutes(-1), now.AddDays(30), [0x42, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);
    }

    private static (string Root, string Leaf) Write(string name, X509Certificate2 root, X509Certificate2 leaf)
    {
        var rootPath = Path.Combine(s_folder, $"{name}-root.pem");
        var leafPath = Path.Combine(s_folder, $"{name}-leaf.pem");
        File.WriteAllText(rootPath, root.ExportCertificatePem());
        File.WriteAllText(leafPath, leaf.ExportCertificatePem());
        return (rootPath, leafPath);
    }

    private static bool BuildChain(X509Certificate2 root, X509Certificate2 leaf, out string status)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var built = chain.Build(leaf);
        status = string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation}"));
        return built;
    }
}
