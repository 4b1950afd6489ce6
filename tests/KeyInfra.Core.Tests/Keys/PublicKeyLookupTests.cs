using System.Security.Cryptography;
using KeyInfra.Cryptography;
using KeyInfra.Errors;
using KeyInfra.Keys;
using static KeyInfra.Core.Tests.Cryptography.TestKeys;

namespace KeyInfra.Core.Tests.Keys;

[TestClass]
public sealed class PublicKeyLookupTests
{
    [TestMethod]
    public void ForPublicKey_PemOfAKey_LooksForTheSha256OfItsCanonicalSpki()
    {
        // Arrange
        var spki = For(KeySpec.EcdsaP256).ExportSpki();
        var pem = PublicKeyCodec.Encode(KeySpec.EcdsaP256, spki, KeyFormat.Pem);

        // Act
        var lookup = PublicKeyLookup.ForPublicKey(pem, KeyFormat.Pem);

        // Assert
        CollectionAssert.AreEqual(SHA256.HashData(spki), lookup.SpkiSha256!.Value.ToArray());
        Assert.IsNull(lookup.JwkThumbprint);
    }

    [TestMethod]
    public void ForPublicKey_MalformedKey_ThrowsKeyFormatException()
    {
        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyLookup.ForPublicKey("not a key"u8, KeyFormat.Pem));

        // Assert
        Assert.AreEqual(ErrorCodes.MalformedPem, e.ErrorCode);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(31)]
    [DataRow(33)]
    public void BySpkiSha256_NotThirtyTwoBytes_ThrowsArgumentException(int length)
    {
        Assert.ThrowsExactly<ArgumentException>(() => PublicKeyLookup.BySpkiSha256(new byte[length]));
    }

    [TestMethod]
    public void ByJwkThumbprint_Rfc7638Thumbprint_Accepted()
    {
        // Act
        var lookup = PublicKeyLookup.ByJwkThumbprint("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");

        // Assert
        Assert.AreEqual("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", lookup.JwkThumbprint);
        Assert.IsNull(lookup.SpkiSha256);
    }

    [TestMethod]
    [DataRow("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs=", DisplayName = "padding")]
    [DataRow("NzbLsXh8uDCcd+6MNwXF4W/7noWXFZAfHkxZsRGC9Xs", DisplayName = "standard Base64 alphabet")]
    [DataRow("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xt", DisplayName = "non-canonical last character")]
    [DataRow("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9X", DisplayName = "42 characters")]
    [DataRow("", DisplayName = "empty")]
    public void ByJwkThumbprint_NotACanonicalSha256Thumbprint_ThrowsArgumentException(string thumbprint)
    {
        Assert.ThrowsExactly<ArgumentException>(() => PublicKeyLookup.ByJwkThumbprint(thumbprint));
    }
}
