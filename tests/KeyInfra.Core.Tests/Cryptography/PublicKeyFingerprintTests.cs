using System.Buffers.Text;
using System.Security.Cryptography;
using KeyInfra.Cryptography;
using KeyInfra.Keys;
using static KeyInfra.Core.Tests.Cryptography.TestKeys;

namespace KeyInfra.Core.Tests.Cryptography;

[TestClass]
public sealed class PublicKeyFingerprintTests
{
    // RFC 7638 section 3.1: the RSA key of RFC 7517 appendix A.1 and its SHA-256 thumbprint.
    private const string Rfc7638N =
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

    [TestMethod]
    public void JwkThumbprint_Rfc7638RsaExample_MatchesTheRfc()
    {
        // Arrange
        var spki = PublicKeyMaterial.ForRsa(Base64Url.DecodeFromChars(Rfc7638N), Base64Url.DecodeFromChars("AQAB")).ToSpki();

        // Act
        var thumbprint = PublicKeyFingerprint.JwkThumbprint(spki);

        // Assert
        Assert.AreEqual("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", thumbprint);
    }

    [TestMethod]
    public void JwkThumbprint_Rfc8037Ed25519Example_MatchesTheRfc()
    {
        // Arrange: RFC 8037 appendix A.2's public key (x), whose thumbprint A.3 gives.
        var spki = PublicKeyCodec.Decode(Base64Url.DecodeFromChars("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"), KeyFormat.Raw, KeySpec.Ed25519).Spki;

        // Act
        var thumbprint = PublicKeyFingerprint.JwkThumbprint(spki);

        // Assert
        Assert.AreEqual("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", thumbprint);
    }

    [TestMethod]
    [DynamicData(nameof(AllSpecNames), typeof(TestKeys))]
    public void JwkThumbprint_EverySpec_Sha256OfTheExportedJwk(string specName)
    {
        // Arrange: the thumbprint input is exactly the JWK KeyInfra exports (required members, sorted, no white space).
        var spec = KeySpec.Parse(specName);
        var spki = For(spec).ExportSpki();
        var jwk = PublicKeyCodec.Encode(spec, spki, KeyFormat.Jwk);

        // Act
        var thumbprint = PublicKeyFingerprint.JwkThumbprint(spki);
        var spkiSha256 = PublicKeyFingerprint.SpkiSha256(spki);

        // Assert
        Assert.AreEqual(Base64Url.EncodeToString(SHA256.HashData(jwk)), thumbprint);
        CollectionAssert.AreEqual(SHA256.HashData(spki), spkiSha256);
    }
}
