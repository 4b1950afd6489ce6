using System.Formats.Asn1;
using System.Security.Cryptography;
using KeyInfra.Cryptography;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using static KeyInfra.Core.Tests.Cryptography.TestKeys;

namespace KeyInfra.Core.Tests.Cryptography;

[TestClass]
public sealed class SigningKeyTests
{
    private static readonly byte[] s_message = Utf8("KeyInfra signing test message");

    // RFC 8410 section 7 shape: PrivateKeyInfo { 0, { id-Ed25519 }, OCTET STRING { OCTET STRING (32) } }.
    private const string Ed25519Pkcs8Prefix = "302e020100300506032b657004220420";

    [TestMethod]
    public void ImportPkcs8_RsaPrivateKeyWithExponent3_ThrowsWeakRsaKey()
    {
        // Arrange: the platform cannot choose an exponent, BouncyCastle can.
        var generator = new Org.BouncyCastle.Crypto.Generators.RsaKeyPairGenerator();
        generator.Init(new Org.BouncyCastle.Crypto.Parameters.RsaKeyGenerationParameters(
            Org.BouncyCastle.Math.BigInteger.Three, new Org.BouncyCastle.Security.SecureRandom(), 2048, 80));
        var pair = generator.GenerateKeyPair();
        var pkcs8 = Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory.CreatePrivateKeyInfo(pair.Private).GetDerEncoded();

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => SigningKey.ImportPkcs8(KeySpec.Rsa2048, pkcs8));

        // Assert
        Assert.AreEqual(ErrorCodes.WeakOrUnsupportedRsaKey, e.ErrorCode);
        StringAssert.Contains(e.Message, "65537");
    }

    [TestMethod]
    [DataRow("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b", DisplayName = "RFC 8032 7.1 TEST 1")]
    [DataRow("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00", DisplayName = "RFC 8032 7.1 TEST 2")]
    [DataRow("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a", DisplayName = "RFC 8032 7.1 TEST 3")]
    [DataRow("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42", "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704", DisplayName = "RFC 8032 7.1 TEST SHA(abc)")]
    public void Sign_Rfc8032Ed25519Vector_ExpectedSignatureThatVerifies(string secretKey, string publicKey, string message, string expectedSignature)
    {
        // Arrange
        using var key = SigningKey.ImportPkcs8(KeySpec.Ed25519, Hex(Ed25519Pkcs8Prefix + secretKey));
        var spki = key.ExportSpki();
        using var verifier = VerificationKey.Create(KeySpec.Ed25519, spki);

        // Act
        var signature = key.Sign(Hex(message), inputIsHash: false, default);
        var status = verifier.Verify(Hex(message), inputIsHash: false, signature, default);

        // Assert
        CollectionAssert.AreEqual(Hex(expectedSignature), signature);
        CollectionAssert.AreEqual(Hex(publicKey), PublicKeyCodec.Encode(KeySpec.Ed25519, spki, KeyFormat.Raw));
        Assert.AreEqual(VerificationStatus.Valid, status);
    }

    [TestMethod]
    [DynamicData(nameof(AllSpecNames), typeof(TestKeys))]
    public void ExportPkcs8ThenImportPkcs8_EverySpec_SamePublicKeyAndSignaturesVerify(string specName)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var original = TestKeys.For(spec);
        var pkcs8 = original.ExportPkcs8();

        // Act
        using var imported = SigningKey.ImportPkcs8(spec, pkcs8);
        CryptographicOperations.ZeroMemory(pkcs8);
        var signature = imported.Sign(s_message, false, DefaultParameters(spec));
        using var verifier = VerificationKey.Create(spec, original.ExportSpki());

        // Assert
        Assert.AreEqual(spec, imported.Spec);
        CollectionAssert.AreEqual(original.ExportSpki(), imported.ExportSpki());
        Assert.AreEqual(VerificationStatus.Valid, verifier.Verify(s_message, false, signature, DefaultParameters(spec)));
    }

    [TestMethod]
    [DynamicData(nameof(AllSpecNames), typeof(TestKeys))]
    public void ExportSpki_EverySpec_DecodesAsCanonicalSpkiOfThatSpec(string specName)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var spki = TestKeys.For(spec).ExportSpki();

        // Act
        var decoded = PublicKeyCodec.Decode(spki, KeyFormat.Der, expected: null);

        // Assert
        Assert.AreEqual(spec, decoded.Spec);
        CollectionAssert.AreEqual(spki, decoded.Spki);
    }

    [TestMethod]
    [DataRow("ecdsa-p256", "ecdsa-p384")]
    [DataRow("ecdsa-p256", "ecdsa-secp256k1")]
    [DataRow("ecdsa-p384", "ed25519")]
    [DataRow("rsa-2048", "rsa-3072")]
    [DataRow("rsa-3072", "ecdsa-p256")]
    [DataRow("ed25519", "ecdsa-p256")]
    public void ImportPkcs8_KeyOfAnotherSpec_ThrowsMalformedPrivateKey(string actualName, string declaredName)
    {
        // Arrange
        var pkcs8 = TestKeys.For(KeySpec.Parse(actualName)).ExportPkcs8();

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => SigningKey.ImportPkcs8(KeySpec.Parse(declaredName), pkcs8));

        // Assert
        Assert.AreEqual(ErrorCodes.MalformedPrivateKey, e.ErrorCode);
    }

    [TestMethod]
    [DataRow("ecdsa-p256")]
    [DataRow("rsa-2048")]
    [DataRow("ed25519")]
    public void ImportPkcs8_TrailingByteTruncatedOrLongFormLength_ThrowsMalformedPrivateKey(string specName)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var pkcs8 = TestKeys.For(spec).ExportPkcs8();
        byte[] trailing = [.. pkcs8, 0x00];
        var truncated = pkcs8[..^1];
        var longForm = WithLongFormOuterLength(pkcs8);

        // Act
        var errors = new[] { trailing, truncated, longForm }
            .Select(bad => Assert.ThrowsExactly<KeyFormatException>(() => SigningKey.ImportPkcs8(spec, bad)).ErrorCode)
            .ToList();

        // Assert
        CollectionAssert.AreEqual(Enumerable.Repeat(ErrorCodes.MalformedPrivateKey, 3).ToList(), errors);
    }

    [TestMethod]
    public void ImportPkcs8_Ed25519V1WithMismatchedPublicKey_ThrowsMalformedPrivateKey()
    {
        // Arrange: OneAsymmetricKey v1 (RFC 8410 section 10.3) carrying another key's public key.
        var seed = Hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var wrongPublicKey = Hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        var rightPublicKey = Hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

        // Act
        using var accepted = SigningKey.ImportPkcs8(KeySpec.Ed25519, Ed25519V1(seed, rightPublicKey));
        var e = Assert.ThrowsExactly<KeyFormatException>(() => SigningKey.ImportPkcs8(KeySpec.Ed25519, Ed25519V1(seed, wrongPublicKey)));

        // Assert
        Assert.AreEqual(ErrorCodes.MalformedPrivateKey, e.ErrorCode);
        CollectionAssert.AreEqual(rightPublicKey, PublicKeyCodec.Encode(KeySpec.Ed25519, accepted.ExportSpki(), KeyFormat.Raw));
    }

    [TestMethod]
    public void ImportPkcs8_EncryptedOrGarbage_ThrowsMalformedPrivateKey()
    {
        // Arrange
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var encrypted = ecdsa.ExportEncryptedPkcs8PrivateKey("password", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));

        // Act
        var encryptedError = Assert.ThrowsExactly<KeyFormatException>(() => SigningKey.ImportPkcs8(KeySpec.EcdsaP256, encrypted));
        var garbageError = Assert.ThrowsExactly<KeyFormatException>(() => SigningKey.ImportPkcs8(KeySpec.EcdsaP256, Utf8("not a key")));

        // Assert
        Assert.AreEqual(ErrorCodes.MalformedPrivateKey, encryptedError.ErrorCode);
        Assert.AreEqual(ErrorCodes.MalformedPrivateKey, garbageError.ErrorCode);
    }

    [TestMethod]
    public void Sign_HashForEd25519_ThrowsArgumentException()
    {
        // Arrange
        var key = TestKeys.For(KeySpec.Ed25519);

        // Act
        var e = Assert.ThrowsExactly<ArgumentException>(() => key.Sign(SHA512.HashData(s_message), inputIsHash: true, default));

        // Assert
        StringAssert.StartsWith(e.Message, ErrorCodes.SignRequestInvalid);
    }

    [TestMethod]
    [DataRow("ecdsa-p256", "SHA256", 31)]
    [DataRow("ecdsa-p384", "SHA384", 64)]
    [DataRow("rsa-2048", "SHA512", 32)]
    [DataRow("rsa-2048", "SHA256", 0)]
    public void Sign_HashOfWrongLength_ThrowsArgumentException(string specName, string hash, int length)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var key = TestKeys.For(spec);

        // Act
        var e = Assert.ThrowsExactly<ArgumentException>(() => key.Sign(new byte[length], inputIsHash: true, DefaultParameters(spec) with { Hash = HashByName(hash) }));

        // Assert
        StringAssert.StartsWith(e.Message, ErrorCodes.SignRequestInvalid);
    }

    [TestMethod]
    [DataRow("ecdsa-p256", "SHA1")]
    [DataRow("rsa-2048", "MD5")]
    public void Sign_UnsupportedHash_ThrowsArgumentException(string specName, string hash)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);

        // Act & Assert
        Assert.ThrowsExactly<ArgumentException>(() => TestKeys.For(spec).Sign(s_message, false, DefaultParameters(spec) with { Hash = HashByName(hash) }));
    }

    [TestMethod]
    [DataRow("ecdsa-p256", 32)]
    [DataRow("ecdsa-p384", 48)]
    [DataRow("ecdsa-p521", 66)]
    [DataRow("ecdsa-secp256k1", 32)]
    public void Sign_EcdsaDer_CanonicalSequenceOfTwoPositiveIntegers(string specName, int fieldBytes)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);

        // Act
        var der = TestKeys.For(spec).Sign(s_message, false, DefaultParameters(spec) with { Encoding = SignatureEncoding.Der });

        // Assert
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        var r = sequence.ReadInteger();
        var s = sequence.ReadInteger();
        Assert.IsFalse(reader.HasData);
        Assert.IsFalse(sequence.HasData);
        Assert.IsTrue(r.Sign > 0 && s.Sign > 0);
        Assert.IsTrue(r.GetByteCount(isUnsigned: true) <= fieldBytes && s.GetByteCount(isUnsigned: true) <= fieldBytes);
    }

    [TestMethod]
    public void Sign_Ed25519SameMessageTwice_SameSignature()
    {
        // Arrange
        var key = TestKeys.For(KeySpec.Ed25519);

        // Act
        var first = key.Sign(s_message, false, default);
        var second = key.Sign(s_message, false, default);

        // Assert
        CollectionAssert.AreEqual(first, second);
        Assert.AreEqual(64, first.Length);
    }

    [TestMethod]
    [DataRow("ecdsa-p256")]
    [DataRow("ed25519")]
    [DataRow("rsa-2048")]
    public void Sign_AfterDispose_ThrowsObjectDisposedException(string specName)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var key = SigningKey.Generate(spec);
        key.Dispose();

        // Act & Assert
        Assert.ThrowsExactly<ObjectDisposedException>(() => key.Sign(s_message, false, DefaultParameters(spec)));
    }

    [TestMethod]
    [DataRow(2048)]
    [DataRow(3072)]
    [DataRow(4096)]
    public void Generate_Rsa_ModulusOfRequestedSizeAndExponent65537(int bits)
    {
        // Arrange
        var spec = KeySpec.Rsa(bits);

        // Act
        var jwk = System.Text.Json.JsonDocument.Parse(PublicKeyCodec.Encode(spec, TestKeys.For(spec).ExportSpki(), KeyFormat.Jwk));

        // Assert
        Assert.AreEqual("AQAB", jwk.RootElement.GetProperty("e").GetString());
        Assert.AreEqual(bits / 8, System.Buffers.Text.Base64Url.DecodeFromChars(jwk.RootElement.GetProperty("n").GetString()).Length);
    }

    private static byte[] WithLongFormOuterLength(byte[] der)
    {
        // Re-encode the outer SEQUENCE length with one more length byte than DER allows.
        var headerLength = der[1] < 0x80 ? 2 : 2 + (der[1] & 0x7F);
        var bodyLength = der.Length - headerLength;
        var lengthBytes = new List<byte>();
        for (var value = bodyLength; value > 0; value >>= 8)
        {
            lengthBytes.Insert(0, (byte)value);
        }

        lengthBytes.Insert(0, 0x00);
        return [0x30, (byte)(0x80 | lengthBytes.Count), .. lengthBytes, .. der.AsSpan(headerLength)];
    }

    private static byte[] Ed25519V1(byte[] seed, byte[] publicKey)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.3.101.112");
            }

            var inner = new AsnWriter(AsnEncodingRules.DER);
            inner.WriteOctetString(seed);
            writer.WriteOctetString(inner.Encode());
            writer.WriteBitString(publicKey, tag: new Asn1Tag(TagClass.ContextSpecific, 1));
        }

        return writer.Encode();
    }
    [TestMethod]
    [DataRow("rsa-2048", "SHA256", 0)]
    [DataRow("rsa-2048", "SHA256", 20)]
    [DataRow("rsa-2048", "SHA256", 222, DisplayName = "rsa-2048 SHA256 222 (the longest salt that fits)")]
    [DataRow("rsa-3072", "SHA384", 32)]
    [DataRow("rsa-4096", "SHA512", 32)]
    public void Sign_PssWithCustomSalt_VerifiesOnlyWithThatSalt(string specName, string hash, int salt)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var signer = For(spec);
        using var verifier = VerificationKey.Create(spec, signer.ExportSpki());
        var parameters = new SignatureParameters(HashByName(hash), SignatureEncoding.P1363, RsaPadding.Pss) { PssSaltLength = salt };
        var message = Utf8("custom PSS salt");

        // Act
        var signature = signer.Sign(message, inputIsHash: false, parameters);
        var again = signer.Sign(message, inputIsHash: false, parameters);

        // Assert
        Assert.AreEqual(spec.KeySizeBits / 8, signature.Length);
        Assert.AreEqual(VerificationStatus.Valid, verifier.Verify(message, inputIsHash: false, signature, parameters));
        Assert.AreEqual(VerificationStatus.InvalidSignature, verifier.Verify(message, inputIsHash: false, signature, parameters with { PssSaltLength = salt == 0 ? 1 : salt - 1 }));
        Assert.AreEqual(salt > 0, !signature.AsSpan().SequenceEqual(again), "a salted signature is randomised; an unsalted PSS signature is deterministic");
    }

    [TestMethod]
    public void Sign_PssSaltTooLongForModulus_ThrowsArgumentException()
    {
        // Arrange
        var signer = For(KeySpec.Rsa2048);
        var parameters = new SignatureParameters(HashAlgorithmName.SHA256, SignatureEncoding.P1363, RsaPadding.Pss) { PssSaltLength = 223 };

        // Act
        var e = Assert.ThrowsExactly<ArgumentException>(() => signer.Sign(Utf8("m"), inputIsHash: false, parameters));

        // Assert
        StringAssert.Contains(e.Message, "KI3001");
        StringAssert.Contains(e.Message, "0 to 222 bytes");
    }

    [TestMethod]
    public void Sign_PssWithHashLengthSalt_VerifiesWithDefaultParameters()
    {
        // Arrange: an explicit salt as long as the hash is the platform default.
        var signer = For(KeySpec.Rsa2048);
        using var verifier = VerificationKey.Create(KeySpec.Rsa2048, signer.ExportSpki());
        var explicitSalt = new SignatureParameters(HashAlgorithmName.SHA256, SignatureEncoding.P1363, RsaPadding.Pss) { PssSaltLength = 32 };

        // Act
        var signature = signer.Sign(Utf8("m"), inputIsHash: false, explicitSalt);

        // Assert
        Assert.AreEqual(VerificationStatus.Valid, verifier.Verify(Utf8("m"), inputIsHash: false, signature, explicitSalt with { PssSaltLength = null }));
    }
}
