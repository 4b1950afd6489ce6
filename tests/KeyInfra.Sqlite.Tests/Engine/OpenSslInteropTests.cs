using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Tests;
using KeyInfra.Verification;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// Keys made and signatures made by the <c>openssl</c> command line, imported and verified as docs/getting-started.md
/// shows: DER ECDSA and PKCS#1 RSA are refused under the P1363 / PSS defaults with a reason that names the encoding,
/// and verify with the matching <see cref="SignatureOptions"/> or import defaults.
/// </summary>
[TestClass]
public sealed class OpenSslInteropTests
{
    private static KeyInfraTestHost s_host = null!;
    private static string s_folder = null!;
    private static string s_document = null!;

    private static IKeyStore Keys => s_host.Get<IKeyStore>();

    private static IVerifier Verifier => s_host.Get<IVerifier>();

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        s_host = await KeyInfraTestHost.StartAsync();
        s_folder = Path.Combine(s_host.Folder, "openssl");
        Directory.CreateDirectory(s_folder);
        s_document = Path.Combine(s_folder, "invoice.txt");
        await File.WriteAllTextAsync(s_document, "Invoice 42: pay 1,250.00 EUR");
    }

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        await s_host.DisposeAsync();
        KeyInfraTestHost.DeleteFolder(s_host.Folder);
    }

    [TestMethod]
    public async Task Verify_OpenSslEcdsaDerSignatureUnderP1363Default_MalformedWithDerDetail()
    {
        // Arrange
        var (pem, signature) = MakeKeyAndSign("ec-p256", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]);
        var key = await Keys.ImportAsync(ImportKeyRequest.FromPem("openssl-ec", pem));

        // Act
        var result = await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));

        // Assert: strict, but saying why.
        Assert.AreEqual(KeySpec.EcdsaP256, key.Spec);
        Assert.AreEqual(VerificationStatus.MalformedSignature, result.Status);
        Assert.AreEqual($"64-byte P1363 expected; {signature.Length} bytes that parse as DER (SignatureEncoding.Der).", result.Detail);
    }

    [TestMethod]
    public async Task Verify_OpenSslEcdsaDerSignatureWithDerOptionOrDefault_Valid()
    {
        // Arrange
        var (pem, signature) = MakeKeyAndSign("ec-p384", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"], "-sha384");
        var perRequest = await Keys.ImportAsync(ImportKeyRequest.FromPem("openssl-ec-request", pem));
        var byDefault = await Keys.ImportAsync(ImportKeyRequest.FromPem("openssl-ec-default", pem) with { SignatureEncoding = SignatureEncoding.Der });

        // Act
        var withOption = await Verifier.VerifyAsync(new VerificationRequest(perRequest.Id, Document, signature)
        {
            Options = new SignatureOptions { Encoding = SignatureEncoding.Der },
        });
        var withDefault = await Verifier.VerifyAsync(new VerificationRequest(byDefault.Id, Document, signature));

        // Assert
        Assert.AreEqual(VerificationStatus.Valid, withOption.Status);
        Assert.IsNull(withOption.Detail);
        Assert.AreEqual(VerificationStatus.Valid, withDefault.Status);
    }

    [TestMethod]
    public async Task Verify_OpenSslRsaPkcs1SignatureUnderPssDefault_InvalidWithPkcs1Detail()
    {
        // Arrange
        var (pem, signature) = MakeKeyAndSign("rsa-2048", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]);
        var key = await Keys.ImportAsync(ImportKeyRequest.FromPem("openssl-rsa", pem));

        // Act
        var result = await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));

        // Assert
        Assert.AreEqual(KeySpec.Rsa2048, key.Spec);
        Assert.AreEqual(VerificationStatus.InvalidSignature, result.Status);
        Assert.AreEqual("PSS expected; the signature verifies as PKCS#1 v1.5 (RsaPadding.Pkcs1).", result.Detail);
    }

    [TestMethod]
    public async Task Verify_OpenSslRsaPkcs1SignatureWithPkcs1OptionOrDefault_Valid()
    {
        // Arrange
        var (pem, signature) = MakeKeyAndSign("rsa-3072", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"]);
        var perRequest = await Keys.ImportAsync(ImportKeyRequest.FromPem("openssl-rsa-request", pem));
        var byDefault = await Keys.ImportAsync(ImportKeyRequest.FromPem("openssl-rsa-default", pem) with { RsaPadding = RsaPadding.Pkcs1 });

        // Act
        var withOption = await Verifier.VerifyAsync(new VerificationRequest(perRequest.Id, Document, signature)
        {
            Options = new SignatureOptions { RsaPadding = RsaPadding.Pkcs1 },
        });
        var withDefault = await Verifier.VerifyAsync(new VerificationRequest(byDefault.Id, Document, signature));

        // Assert
        Assert.AreEqual(VerificationStatus.Valid, withOption.Status);
        Assert.AreEqual(VerificationStatus.Valid, withDefault.Status);
    }

    [TestMethod]
    [DataRow("0")]
    [DataRow("max", DisplayName = "max (OpenSSL: the longest salt that fits)")]
    public async Task Verify_OpenSslRsaPssSignatureWithSaltLength_ValidWithThatSaltOnly(string opensslSalt)
    {
        // Arrange: a 2048-bit key with SHA-256 fits 256 − 32 − 2 = 222 salt bytes.
        var salt = opensslSalt == "0" ? 0 : 222;
        var (pem, signature) = MakeKeyAndSign("rsa-pss-" + opensslSalt, ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            "-sha256", ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:" + opensslSalt]);
        var key = await Keys.ImportAsync(ImportKeyRequest.FromPem("openssl-rsa-pss-" + opensslSalt, pem));

        // Act
        var withSalt = await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature)
        {
            Options = new SignatureOptions { PssSaltLength = salt },
        });
        var withDefault = await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));

        // Assert
        Assert.AreEqual(VerificationStatus.Valid, withSalt.Status);
        Assert.AreEqual(VerificationStatus.InvalidSignature, withDefault.Status);
        Assert.AreEqual($"PSS with a 32-byte salt expected; the signature verifies with a {salt}-byte salt (PssSaltLength).", withDefault.Detail);
    }

    [TestMethod]
    public async Task Verify_TamperedOpenSslSignature_InvalidWithoutDetail()
    {
        // Arrange: a forgery is told apart from a mix-up of options: no detail to give.
        var (pem, signature) = MakeKeyAndSign("rsa-tampered", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]);
        var key = await Keys.ImportAsync(ImportKeyRequest.FromPem("openssl-rsa-tampered", pem) with { RsaPadding = RsaPadding.Pkcs1 });
        signature[10] ^= 1;

        // Act
        var result = await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));

        // Assert
        Assert.AreEqual(VerificationStatus.InvalidSignature, result.Status);
        Assert.IsNull(result.Detail);
    }

    private static byte[] Document => File.ReadAllBytes(s_document);

    // openssl genpkey + pkey -pubout, then openssl dgst -sign over the document, as docs/getting-started.md shows.
    private static (string PublicKeyPem, byte[] Signature) MakeKeyAndSign(string name, string[] genpkeyArguments, string digest = "-sha256", string[]? signOptions = null)
    {
        var privateKey = Path.Combine(s_folder, name + ".key.pem");
        var publicKey = Path.Combine(s_folder, name + ".pub.pem");
        var signature = Path.Combine(s_folder, name + ".sig");
        OpenSsl.Succeed(["genpkey", .. genpkeyArguments, "-out", privateKey]);
        OpenSsl.Succeed(["pkey", "-in", privateKey, "-pubout", "-out", publicKey]);
        OpenSsl.Succeed(["dgst", digest, "-sign", privateKey, .. signOptions ?? [], "-out", signature, s_document]);
        return (File.ReadAllText(publicKey), File.ReadAllBytes(signature));
    }
}
