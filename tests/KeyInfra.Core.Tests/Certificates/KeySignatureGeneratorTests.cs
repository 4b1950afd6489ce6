using System.Reflection;
using System.Security.Cryptography;
using KeyInfra.Certificates;
using KeyInfra.Keys;
using KeyInfra.Signing;

namespace KeyInfra.Core.Tests.Certificates;

/// <summary>
/// What <see cref="KeySignatureGenerator"/> says before it signs: its algorithm identifiers and its refusals. Issuing
/// through it needs the engine's signer and is tested with the engine (the SQLite and PKCS#11 tests); here the signer is
/// one that must never be called.
/// </summary>
[TestClass]
public sealed class KeySignatureGeneratorTests
{
    [TestMethod]
    public void GetSignatureAlgorithmIdentifier_Ed25519_IsTheBareOid()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var generator = new KeySignatureGenerator(new UncalledSigner(), Key(KeySpec.Ed25519, key.ExportSubjectPublicKeyInfo()));

        var identifier = generator.GetSignatureAlgorithmIdentifier(HashAlgorithmName.SHA256);

        // SEQUENCE { OBJECT IDENTIFIER 1.3.101.112 } (RFC 8410, 3)
        CollectionAssert.AreEqual(new byte[] { 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70 }, identifier);
    }

    [TestMethod]
    public void GetSignatureAlgorithmIdentifierAndSignData_AnAlgorithmItDoesNotKnow_ThrowNotSupported()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var generator = new KeySignatureGenerator(new UncalledSigner(), Key(UnknownSpec(), key.ExportSubjectPublicKeyInfo()));

        var describe = Assert.ThrowsExactly<NotSupportedException>(() => generator.GetSignatureAlgorithmIdentifier(HashAlgorithmName.SHA256));
        var sign = Assert.ThrowsExactly<NotSupportedException>(() => generator.SignData([1, 2, 3], HashAlgorithmName.SHA256));

        StringAssert.Contains(describe.Message, "ECDSA, RSA or Ed25519 keys only");
        StringAssert.Contains(sign.Message, "ECDSA, RSA or Ed25519 keys only");
    }

    [TestMethod]
    public void SignData_PssOverSha1_IsRefusedNamingTheHashParameter()
    {
        using var rsa = RSA.Create(2048);
        var generator = new KeySignatureGenerator(new UncalledSigner(), Key(KeySpec.Rsa2048, rsa.ExportSubjectPublicKeyInfo()), RsaPadding.Pss);

        var error = Assert.ThrowsExactly<ArgumentException>(() => generator.SignData([1, 2, 3], HashAlgorithmName.SHA1));

        Assert.AreEqual("hashAlgorithm", error.ParamName);
    }

    private static KeyInfo Key(KeySpec spec, byte[] spki) => new()
    {
        Id = KeyId.New(),
        TenantId = Guid.NewGuid(),
        Name = "ca",
        Spec = spec,
        PublicKeySpki = spki,
        ImportedFormat = KeyFormat.Der,
        Status = KeyStatus.Active,
        HasPrivateKey = true,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    // A KeySpec of an algorithm no KeyInfra version has (yet): the spec's constructor is private, as it should be.
    private static KeySpec UnknownSpec()
        => (KeySpec)typeof(KeySpec).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, [typeof(KeyAlgorithm), typeof(KeyCurve), typeof(int), typeof(HashAlgorithmName)])!
            .Invoke([(KeyAlgorithm)99, KeyCurve.None, 256, HashAlgorithmName.SHA256]);

    private sealed class UncalledSigner : ISigner
    {
        public Task<SignResult> SignAsync(SignRequest request, CancellationToken cancellationToken = default)
            => throw new AssertFailedException("The generator signed although it should have refused first.");
    }
}
