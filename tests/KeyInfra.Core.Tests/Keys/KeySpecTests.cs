using System.Security.Cryptography;
using KeyInfra.Keys;

namespace KeyInfra.Core.Tests.Keys;

[TestClass]
public sealed class KeySpecTests
{
    public static IEnumerable<object[]> AllSpecs => KeySpec.All.Select(s => new object[] { s.Name });

    [TestMethod]
    [DynamicData(nameof(AllSpecs))]
    public void Parse_NameOfEverySpec_ReturnsEqualSpec(string name)
    {
        var spec = KeySpec.Parse(name);

        Assert.AreEqual(name, spec.Name);
        Assert.AreEqual(KeySpec.All.Single(s => s.Name == name), spec);
    }

    [TestMethod]
    public void Parse_IsCaseInsensitive()
    {
        Assert.AreEqual(KeySpec.EcdsaP256, KeySpec.Parse("ECDSA-P256"));
    }

    [TestMethod]
    [DataRow("rsa-2048", 2048)]
    [DataRow("rsa-2560", 2560)]
    [DataRow("rsa-4096", 4096)]
    public void Parse_RsaSizes_ReturnsRsaSpec(string name, int bits)
    {
        var spec = KeySpec.Parse(name);

        Assert.AreEqual(KeyAlgorithm.Rsa, spec.Algorithm);
        Assert.AreEqual(bits, spec.KeySizeBits);
        Assert.AreEqual(KeyCurve.None, spec.Curve);
    }

    [TestMethod]
    [DataRow("rsa-1024")]
    [DataRow("rsa-8192")]
    [DataRow("rsa-2049")]
    [DataRow("rsa-+2048")]
    [DataRow("dsa-1024")]
    [DataRow("")]
    public void Parse_Unsupported_ThrowsFormatExceptionListingChoices(string name)
    {
        var ex = Assert.ThrowsExactly<FormatException>(() => KeySpec.Parse(name));

        StringAssert.Contains(ex.Message, "ecdsa-p256");
    }

    [TestMethod]
    [DataRow(1024)]
    [DataRow(2047)]
    [DataRow(4104)]
    public void Rsa_OutOfRange_Throws(int bits)
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => KeySpec.Rsa(bits));
    }

    [TestMethod]
    public void DefaultHashAlgorithm_FollowsCurveStrength()
    {
        Assert.AreEqual(HashAlgorithmName.SHA256, KeySpec.EcdsaP256.DefaultHashAlgorithm);
        Assert.AreEqual(HashAlgorithmName.SHA384, KeySpec.EcdsaP384.DefaultHashAlgorithm);
        Assert.AreEqual(HashAlgorithmName.SHA512, KeySpec.EcdsaP521.DefaultHashAlgorithm);
        Assert.AreEqual(HashAlgorithmName.SHA256, KeySpec.EcdsaSecp256k1.DefaultHashAlgorithm);
        Assert.AreEqual(HashAlgorithmName.SHA256, KeySpec.Rsa3072.DefaultHashAlgorithm);
    }

    [TestMethod]
    public void ForCurve_EveryCurve_MatchesSpecCurve()
    {
        foreach (var curve in new[] { KeyCurve.P256, KeyCurve.P384, KeyCurve.P521, KeyCurve.Secp256k1, KeyCurve.Ed25519 })
        {
            Assert.AreEqual(curve, KeySpec.ForCurve(curve).Curve);
        }

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => KeySpec.ForCurve(KeyCurve.None));
    }

    [TestMethod]
    public void Equality_RsaOfSameSize_AreEqual()
    {
        Assert.AreEqual(KeySpec.Rsa2048, KeySpec.Rsa(2048));
        Assert.AreNotEqual(KeySpec.Rsa2048, KeySpec.Rsa3072);
    }
}
