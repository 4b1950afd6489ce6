using System.Security.Cryptography.X509Certificates;
using KeyInfra.Certificates;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Storage;
using KeyInfra.Tests;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>
/// Certificate authorities whose keys KeyInfra generates in the SoftHSM2 token (<see cref="CreateCertificateAuthorityRequest.KeyBackend"/>
/// "pkcs11"): a root (RSA-2048) and an intermediate (P-256) issue a leaf from an openssl-made request and a CRL that
/// openssl accepts; a leaf for a KeyInfra key held in the token exports as PKCS#12 without its private key only.
/// </summary>
/// <remarks>Each test starts a host of its own (a SQLite file in a temp folder) with the default allow-all authorizer.</remarks>
[TestClass]
public sealed class HsmCertificateAuthorityTests
{
    private const string Slot = "certificate-authorities";
    private const string Pin = "correct horse battery";

    [TestMethod]
    public async Task IssueAsync_FromAnOpenSslRequest_UnderHsmRootAndIntermediate_VerifiesWithOpenSsl()
    {
        // Arrange
        await using var host = await StartAsync();
        var (root, intermediate) = await HierarchyAsync(host);
        var csr = OpenSslRequest(host.Folder, "dev.example.net");

        // Act
        var issued = await host.Get<ICertificateStore>().IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = csr, Validity = TimeSpan.FromDays(30) });

        // Assert
        await AssertInTokenAsync(host, root.KeyId);
        await AssertInTokenAsync(host, intermediate.KeyId);
        Assert.AreEqual(CertificateStatus.Active, issued.Status);
        Assert.IsNull(issued.KeyId);
        CollectionAssert.AreEqual(new[] { "dev.example.net" }, issued.DnsNames.ToArray());
        var rootPem = Write(host, "root.pem", CertificatePem.Certificate(root.CertificateDer.Span));
        var intermediatePem = Write(host, "intermediate.pem", CertificatePem.Certificate(intermediate.CertificateDer.Span));
        var leafPem = Write(host, "leaf.pem", CertificatePem.Certificate(issued.Der.Span));
        StringAssert.Contains(OpenSsl.Succeed("verify", "-CAfile", rootPem, "-untrusted", intermediatePem, leafPem), ": OK");
        StringAssert.Contains(OpenSsl.Succeed("x509", "-in", intermediatePem, "-noout", "-text"), "sha256WithRSAEncryption");
        StringAssert.Contains(OpenSsl.Succeed("x509", "-in", leafPem, "-noout", "-text"), "ecdsa-with-SHA256");
    }

    [TestMethod]
    public async Task RevokeAsync_UnderAnHsmIntermediate_PublishesACrlOpenSslVerifies()
    {
        // Arrange
        await using var host = await StartAsync();
        var (_, intermediate) = await HierarchyAsync(host);
        var store = host.Get<ICertificateStore>();
        var kept = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = OpenSslRequest(host.Folder, "kept.example.net") });
        var revoked = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = OpenSslRequest(host.Folder, "dev.example.net") });
        var before = (await host.Get<ICertificateAuthorities>().GetCrlAsync(intermediate.Id))!;

        // Act
        var after = await store.RevokeAsync(revoked.Id, X509RevocationReason.KeyCompromise);

        // Assert
        Assert.AreEqual(CertificateStatus.Revoked, after.Status);
        var crl = (await host.Get<ICertificateAuthorities>().GetCrlAsync(intermediate.Id))!;
        Assert.AreEqual(before.Number + 1, crl.Number);
        var crlPem = Write(host, "intermediate.crl", CertificatePem.Crl(crl.Der.Span));
        var intermediatePem = Write(host, "intermediate.pem", CertificatePem.Certificate(intermediate.CertificateDer.Span));
        StringAssert.Contains(OpenSsl.Succeed("crl", "-in", crlPem, "-CAfile", intermediatePem, "-noout", "-verify"), "verify OK");
        var listed = OpenSsl.Succeed("crl", "-in", crlPem, "-noout", "-text");
        StringAssert.Contains(listed, revoked.SerialNumber.ToUpperInvariant());
        StringAssert.Contains(listed, "Key Compromise");
        Assert.IsFalse(listed.Contains(kept.SerialNumber.ToUpperInvariant(), StringComparison.Ordinal), "only the revoked certificate is listed");
    }

    [TestMethod]
    public async Task ExportPkcs12Async_LeafForAnHsmKey_RefusesThePrivateKeyAndExportsTheCertificate()
    {
        // Arrange
        await using var host = await StartAsync();
        var (_, intermediate) = await HierarchyAsync(host);
        var deviceKey = await host.KeyStore.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "device-hsm")
        {
            Backend = Pkcs11BackendOptionNames.BackendName,
            BackendOptions = new Dictionary<string, string> { [Pkcs11BackendOptionNames.Slot] = Slot },
        });
        var store = host.Get<ICertificateStore>();
        var issued = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id)
        {
            Key = deviceKey.Id,
            Subject = "CN=dev.example.net, O=Example",
            DnsNames = ["dev.example.net"],
        });

        // Act
        var refused = await Assert.ThrowsAsync<CertificateException>(() => store.ExportPkcs12Async(issued.Id, Pin, includePrivateKey: true));
        var pfx = await store.ExportPkcs12Async(issued.Id, Pin, includePrivateKey: false);

        // Assert
        Assert.AreEqual(ErrorCodes.PrivateKeyNotExportable, refused.ErrorCode);
        StringAssert.Contains(refused.Message, "HSM");
        Assert.AreEqual(deviceKey.Id, issued.KeyId);
        await AssertInTokenAsync(host, deviceKey.Id);
        using var loaded = X509CertificateLoader.LoadPkcs12(pfx, Pin);
        Assert.IsFalse(loaded.HasPrivateKey);
        CollectionAssert.AreEqual(issued.Der.ToArray(), loaded.RawData);
        var file = Path.Combine(host.Folder, "device.p12");
        await File.WriteAllBytesAsync(file, pfx);
        var info = OpenSsl.Succeed("pkcs12", "-info", "-in", file, "-passin", "pass:" + Pin, "-nodes");
        Assert.IsFalse(info.Contains("PRIVATE KEY", StringComparison.Ordinal), "no private key in the file");
        StringAssert.Contains(info, "BEGIN CERTIFICATE");
    }

    private static async Task<Pkcs11TestHost> StartAsync()
    {
        var host = await Pkcs11TestHost.StartAsync();
        try
        {
            await host.AddSlotAsync(Slot, SoftHsm.CaToken, SoftHsm.CaPin);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>A root (RSA-2048) and an intermediate (P-256) below it, both keys generated in the token.</summary>
    private static async Task<(CertificateAuthorityInfo Root, CertificateAuthorityInfo Intermediate)> HierarchyAsync(Pkcs11TestHost host)
    {
        var inToken = new Dictionary<string, string> { [Pkcs11BackendOptionNames.Slot] = Slot };
        var authorities = host.Get<ICertificateAuthorities>();
        var root = await authorities.CreateRootAsync(new CreateCertificateAuthorityRequest("hsm-root", "CN=HSM Root CA, O=KeyInfra Tests")
        {
            KeySpec = KeySpec.Rsa2048,
            KeyBackend = Pkcs11BackendOptionNames.BackendName,
            KeyBackendOptions = inToken,
            Validity = TimeSpan.FromDays(3650),
        });
        var intermediate = await authorities.CreateIntermediateAsync(root.Id, new CreateCertificateAuthorityRequest("hsm-intermediate", "CN=HSM Devices CA, O=KeyInfra Tests")
        {
            KeySpec = KeySpec.EcdsaP256,
            KeyBackend = Pkcs11BackendOptionNames.BackendName,
            KeyBackendOptions = inToken,
            Validity = TimeSpan.FromDays(1825),
            CrlDistributionPoint = new Uri("http://crl.example.net/hsm-devices.crl"),
        });
        return (root, intermediate);
    }

    /// <summary>Asserts that the key's private key is a reference into the token, not material KeyInfra holds.</summary>
    private static async Task AssertInTokenAsync(Pkcs11TestHost host, KeyId keyId)
    {
        var info = (await host.KeyStore.GetAsync(keyId))!;
        var stored = await host.KeyRepository.FindAsync(info.TenantId, keyId, includePrivateKey: true);
        Assert.AreEqual(PrivateKeyProtection.Hsm, stored?.PrivateKey?.Protection, $"key {keyId} is held in the token");
        Assert.AreEqual(Pkcs11BackendOptionNames.BackendName, stored!.PrivateKey!.Backend);
    }

    /// <summary>A PKCS#10 request openssl makes for a new P-256 key: CN and one DNS name.</summary>
    private static byte[] OpenSslRequest(string folder, string dnsName)
    {
        var stem = Path.Combine(folder, Guid.NewGuid().ToString("N"));
        OpenSsl.Succeed("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", stem + ".key", "-out", stem + ".csr",
            "-subj", "/CN=" + dnsName, "-addext", "subjectAltName=DNS:" + dnsName);
        return File.ReadAllBytes(stem + ".csr");
    }

    private static string Write(Pkcs11TestHost host, string name, string text)
    {
        var file = Path.Combine(host.Folder, name);
        File.WriteAllText(file, text);
        return file;
    }
}
