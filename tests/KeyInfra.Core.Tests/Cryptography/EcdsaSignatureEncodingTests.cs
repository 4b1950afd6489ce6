using System.Security.Cryptography;
using KeyInfra.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;

namespace KeyInfra.Core.Tests.Cryptography;

[TestClass]
public sealed class EcdsaSignatureEncodingTests
{
    private static readonly byte[] s_message = "canonical"u8.ToArray();

    [TestMethod]
    [DataRow("ecdsa-p256", 72)]
    [DataRow("ecdsa-p384", 104)]
    [DataRow("ecdsa-p521", 141)]
    [DataRow("ecdsa-secp256k1", 72)]
    public void MaxDerLength_EveryCurve_IsTheLongestDerOfFullLengthIntegers(string specName, int expected)
    {
        // Arrange: a signature with both integers at full length and the top bit set (a 0x00 pad each) is the longest.
        var spec = KeySpec.Parse(specName);
        var fieldBytes = EcCurveInfo.For(spec).FieldBytes;
        var longest = new byte[2 * fieldBytes];
        longest[0] = 0x80;
        longest[fieldBytes] = 0x80;

        // Act
        var der = EcdsaSignatureEncoding.P1363ToDer(longest);

        // Assert
        Assert.AreEqual(expected, EcdsaSignatureEncoding.MaxDerLength(fieldBytes));
        Assert.HasCount(expected, der);
    }

    [TestMethod]
    public void P1363ToDer_RAndSWithLeadingZeros_MinimalDerThatConvertsBack()
    {
        // Arrange: r and s shorter than the field (1 signature in 256 has such an r).
        var p1363 = new byte[64];
        p1363[2] = 0x01;
        p1363[63] = 0x7F;

        // Act
        var der = EcdsaSignatureEncoding.P1363ToDer(p1363);
        var back = new byte[64];
        var converted = EcdsaSignatureEncoding.TryDerToP1363(der, 32, back);

        // Assert
        Assert.IsTrue(converted);
        CollectionAssert.AreEqual(p1363, back);
    }

    [TestMethod]
    public void NormalizeToLowS_HighS_BecomesNMinusSAndStillVerifies()
    {
        // Arrange: sign until the platform makes a high S (about every other signature).
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var curve = EcCurveInfo.For(KeySpec.EcdsaP256);
        byte[] signature;
        do
        {
            signature = ecdsa.SignData(s_message, HashAlgorithmName.SHA256);
        }
        while (!EcdsaSignatureEncoding.IsHighS(signature, curve));

        var original = (byte[])signature.Clone();

        // Act
        EcdsaSignatureEncoding.NormalizeToLowS(signature, curve);

        // Assert
        Assert.IsFalse(EcdsaSignatureEncoding.IsHighS(signature, curve));
        CollectionAssert.AreEqual(original[..32], signature[..32]);
        var n = new System.Numerics.BigInteger(curve.Order, isUnsigned: true, isBigEndian: true);
        var sum = new System.Numerics.BigInteger(original.AsSpan(32), isUnsigned: true, isBigEndian: true) + new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        Assert.AreEqual(n, sum);
        Assert.IsTrue(ecdsa.VerifyData(s_message, signature, HashAlgorithmName.SHA256));
    }

    [TestMethod]
    public void IsHighS_HalfOrderAndOneAbove_LowThenHigh()
    {
        var curve = EcCurveInfo.For(KeySpec.EcdsaSecp256k1);
        var half = new byte[64];
        curve.HalfOrder.CopyTo(half, 32);
        var above = (byte[])half.Clone();
        above[63]++;

        Assert.IsFalse(EcdsaSignatureEncoding.IsHighS(half, curve));
        Assert.IsTrue(EcdsaSignatureEncoding.IsHighS(above, curve));
        Assert.AreEqual("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", Convert.ToHexString(curve.HalfOrder));
    }

    [TestMethod]
    public void Canonicalize_DerAndP1363OfOneSignature_SameBytes()
    {
        // Arrange
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var key = VerificationKey.Create(KeySpec.EcdsaP384, ecdsa.ExportSubjectPublicKeyInfo());
        var p1363 = ecdsa.SignData(s_message, HashAlgorithmName.SHA384);
        var der = EcdsaSignatureEncoding.P1363ToDer(p1363);
        var parameters = new SignatureParameters(HashAlgorithmName.SHA384, SignatureEncoding.P1363, RsaPadding.Pss);
        var buffer = new byte[VerificationKey.MaxAnySignatureLength];

        // Act
        var fromP1363 = key.Canonicalize(p1363, parameters, buffer).ToArray();
        var fromDer = key.Canonicalize(der, parameters with { Encoding = SignatureEncoding.Der }, buffer).ToArray();
        var notDer = key.Canonicalize([1, 2, 3], parameters with { Encoding = SignatureEncoding.Der }, buffer).ToArray();

        // Assert
        CollectionAssert.AreEqual(p1363, fromP1363);
        CollectionAssert.AreEqual(p1363, fromDer);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, notDer);
    }

    [TestMethod]
    public void MaxSignatureLength_EveryAlgorithm_TheLongestItMakes()
    {
        using var rsa = RSA.Create(3072);
        using var rsaKey = VerificationKey.Create(KeySpec.Rsa3072, rsa.ExportSubjectPublicKeyInfo());
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        using var ecdsaKey = VerificationKey.Create(KeySpec.EcdsaP521, ecdsa.ExportSubjectPublicKeyInfo());

        Assert.AreEqual(384, rsaKey.MaxSignatureLength);
        Assert.AreEqual(141, ecdsaKey.MaxSignatureLength);
        Assert.AreEqual(512, VerificationKey.MaxAnySignatureLength);
    }
}
