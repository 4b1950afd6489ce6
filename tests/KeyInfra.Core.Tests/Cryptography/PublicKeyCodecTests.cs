using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using KeyInfra.Cryptography;
using KeyInfra.Errors;
using KeyInfra.Keys;
using static KeyInfra.Core.Tests.Cryptography.TestKeys;

namespace KeyInfra.Core.Tests.Cryptography;

[TestClass]
public sealed class PublicKeyCodecTests
{
    // Wycheproof ecdsa_secp256k1_sha256_test.json, group 1: publicKeyPem (the DER is WycheproofSecp256k1Spki1).
    private const string WycheproofSecp256k1Pem =
        "-----BEGIN PUBLIC KEY-----\nMFYwEAYHKoZIzj0CAQYFK4EEAAoDQgAEeCyO0X47Kng7VGTzOwllKnHGeOBexR6E\n4rz8Zjo96WOvmstCgLjH98QvTvmrpiRewewXEv04oPqWQY2M1qphUg==\n-----END PUBLIC KEY-----\n";

    // Wycheproof rsa_signature_2048_sha256_test.json: publicKeyPem and keyJwk of WycheproofRsa2048Spki.
    private const string WycheproofRsaPem =
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAorRRoH0KpfluRVZxUTVQ\nUUqKW0YuvvcXCU+h/ugiJOY3+XRtP3yv0xh42AMltu9aFwD2WQO0aUKeidbqyIRQ\nl7WrOTGJ25JRLtincRoSU/rNIPecFegkfz0+QuRuSMmOJUov6XZTE6A+/48X4aAp\nOXofomqNzib0kO2BKZYV2YFMItphBCjgnH2WWFlCZvXAIdD87KCNlFoSvoLeTR7O\na0wDFFtdNJXU7VQR64eNrwX9evw+Ca2g8RJkIvWQl1oZaYFvSGmLy7obTZyuedRg\n2Pn4Xnl1AF2bwixOWsD3waRdElaaYoB9O5oC5aUw53MGb0U9H1tMLpz3ggKD90K5\n1QIDAQAB\n-----END PUBLIC KEY-----\n";

    private const string WycheproofRsaJwkN =
        "orRRoH0KpfluRVZxUTVQUUqKW0YuvvcXCU-h_ugiJOY3-XRtP3yv0xh42AMltu9aFwD2WQO0aUKeidbqyIRQl7WrOTGJ25JRLtincRoSU_rNIPecFegkfz0-QuRuSMmOJUov6XZTE6A-_48X4aApOXofomqNzib0kO2BKZYV2YFMItphBCjgnH2WWFlCZvXAIdD87KCNlFoSvoLeTR7Oa0wDFFtdNJXU7VQR64eNrwX9evw-Ca2g8RJkIvWQl1oZaYFvSGmLy7obTZyuedRg2Pn4Xnl1AF2bwixOWsD3waRdElaaYoB9O5oC5aUw53MGb0U9H1tMLpz3ggKD90K51Q";

    // RFC 8032 7.1 TEST 1 public key; RFC 8037 appendix A.2 gives its JWK x.
    private const string Rfc8032Test1PublicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    // RFC 6979 A.2.5 P-256 public key.
    private const string Rfc6979P256Point =
        "04" + "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6" + "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";

    public static IEnumerable<object[]> ExportFormats()
    {
        foreach (var spec in KeySpec.All)
        {
            yield return [spec.Name, KeyFormat.Pem];
            yield return [spec.Name, KeyFormat.Der];
            if (spec.Algorithm != KeyAlgorithm.Rsa)
            {
                yield return [spec.Name, KeyFormat.Raw];
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(ExportFormats))]
    public void EncodeThenDecode_EverySpecAndFormat_SameSpki(string specName, KeyFormat format)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var spki = TestKeys.For(spec).ExportSpki();

        // Act
        var encoded = PublicKeyCodec.Encode(spec, spki, format);
        var decoded = PublicKeyCodec.Decode(encoded, format, format == KeyFormat.Raw ? spec : null);

        // Assert
        Assert.AreEqual(spec, decoded.Spec);
        CollectionAssert.AreEqual(spki, decoded.Spki);
    }

    [TestMethod]
    public void Encode_WycheproofKeysAsPem_ExactlyTheVectorsPem()
    {
        // Act
        var secp256k1 = PublicKeyCodec.Encode(KeySpec.EcdsaSecp256k1, Hex(VerificationKeyKnownAnswerTests.WycheproofSecp256k1Spki1), KeyFormat.Pem);
        var rsa = PublicKeyCodec.Encode(KeySpec.Rsa2048, Hex(VerificationKeyKnownAnswerTests.WycheproofRsa2048Spki), KeyFormat.Pem);

        // Assert
        Assert.AreEqual(WycheproofSecp256k1Pem, Encoding.UTF8.GetString(secp256k1));
        Assert.AreEqual(WycheproofRsaPem, Encoding.UTF8.GetString(rsa));
    }

    [TestMethod]
    public void Decode_WycheproofPem_SpkiOfTheVector()
    {
        // Act
        var decoded = PublicKeyCodec.Decode(Utf8(WycheproofRsaPem), KeyFormat.Pem, KeySpec.Rsa2048);

        // Assert
        Assert.AreEqual(KeySpec.Rsa2048, decoded.Spec);
        CollectionAssert.AreEqual(Hex(VerificationKeyKnownAnswerTests.WycheproofRsa2048Spki), decoded.Spki);
    }

    [TestMethod]
    public void Encode_JwkOfKnownKeys_ExpectedMembers()
    {
        // Arrange
        var ecSpki = PublicKeyCodec.Decode(Hex(Rfc6979P256Point), KeyFormat.Raw, KeySpec.EcdsaP256).Spki;
        var edSpki = PublicKeyCodec.Decode(Hex(Rfc8032Test1PublicKey), KeyFormat.Raw, KeySpec.Ed25519).Spki;
        var k1Spki = Hex(VerificationKeyKnownAnswerTests.WycheproofSecp256k1Spki1);

        // Act
        var ec = Encoding.UTF8.GetString(PublicKeyCodec.Encode(KeySpec.EcdsaP256, ecSpki, KeyFormat.Jwk));
        var ed = Encoding.UTF8.GetString(PublicKeyCodec.Encode(KeySpec.Ed25519, edSpki, KeyFormat.Jwk));
        var rsa = Encoding.UTF8.GetString(PublicKeyCodec.Encode(KeySpec.Rsa2048, Hex(VerificationKeyKnownAnswerTests.WycheproofRsa2048Spki), KeyFormat.Jwk));
        using var k1 = System.Text.Json.JsonDocument.Parse(PublicKeyCodec.Encode(KeySpec.EcdsaSecp256k1, k1Spki, KeyFormat.Jwk));

        // Assert: members in RFC 7638 order, so the text is also the thumbprint input.
        Assert.AreEqual("""{"crv":"P-256","kty":"EC","x":"YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Y","y":"eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpk"}""", ec);
        Assert.AreEqual("""{"crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}""", ed);
        Assert.AreEqual($$"""{"e":"AQAB","kty":"RSA","n":"{{WycheproofRsaJwkN}}"}""", rsa);
        Assert.AreEqual("secp256k1", k1.RootElement.GetProperty("crv").GetString());
        Assert.AreEqual(32, System.Buffers.Text.Base64Url.DecodeFromChars(k1.RootElement.GetProperty("y").GetString()).Length);
    }

    [TestMethod]
    public void Encode_RsaAsRaw_ThrowsNotSupportedException()
    {
        // Arrange
        var spki = Hex(VerificationKeyKnownAnswerTests.WycheproofRsa2048Spki);

        // Act & Assert
        Assert.ThrowsExactly<NotSupportedException>(() => PublicKeyCodec.Encode(KeySpec.Rsa2048, spki, KeyFormat.Raw));
    }

    [TestMethod]
    public void Encode_SpkiOfAnotherSpec_ThrowsKeySpecMismatch()
    {
        // Arrange
        var spki = TestKeys.For(KeySpec.EcdsaP384).ExportSpki();

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Encode(KeySpec.EcdsaP256, spki, KeyFormat.Pem));

        // Assert
        Assert.AreEqual(ErrorCodes.KeySpecMismatch, e.ErrorCode);
    }

    // ---- PEM ----

    [TestMethod]
    public void Decode_PemWithSurroundingWhitespaceAndCrLf_Accepted()
    {
        // Arrange
        var pem = "\r\n  \t" + WycheproofSecp256k1Pem.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n\r\n";

        // Act
        var decoded = PublicKeyCodec.Decode(Utf8(pem), KeyFormat.Pem, KeySpec.EcdsaSecp256k1);

        // Assert
        CollectionAssert.AreEqual(Hex(VerificationKeyKnownAnswerTests.WycheproofSecp256k1Spki1), decoded.Spki);
    }

    public static IEnumerable<object[]> MalformedPems()
    {
        var pem = WycheproofSecp256k1Pem;
        yield return ["missing END line", pem[..pem.IndexOf("-----END", StringComparison.Ordinal)], "malformed"];
        yield return ["mismatched END label", pem.Replace("END PUBLIC KEY", "END PRIVATE KEY", StringComparison.Ordinal), "malformed"];
        yield return ["two PEM blocks", pem + pem, "more than one PEM block"];
        yield return ["text before the block", "key: " + pem, "before"];
        yield return ["text after the block", pem + "trailer", "after"];
        yield return ["invalid Base64 character", pem.Replace("MFYw", "MF!w", StringComparison.Ordinal), "malformed"];
        yield return ["non-canonical Base64 padding bits", pem.Replace("Ug==", "Uh==", StringComparison.Ordinal), "Base64"];
        yield return ["PKCS#1 RSA PUBLIC KEY label", WycheproofRsaPem.Replace("PUBLIC KEY", "RSA PUBLIC KEY", StringComparison.Ordinal), "RSA PUBLIC KEY"];
        yield return ["CERTIFICATE label", pem.Replace("PUBLIC KEY", "CERTIFICATE", StringComparison.Ordinal), "certificate"];
        yield return ["empty", "", "No PEM block"];
        yield return ["DER bytes given as PEM", "0V0\u0010", "No PEM block"];
    }

    [TestMethod]
    [DynamicData(nameof(MalformedPems))]
    public void Decode_MalformedPem_ThrowsMalformedPem(string description, string text, string messagePart)
    {
        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(Utf8(text), KeyFormat.Pem, null), description);

        // Assert
        Assert.AreEqual(ErrorCodes.MalformedPem, e.ErrorCode, description);
        StringAssert.Contains(e.Message, messagePart, StringComparison.OrdinalIgnoreCase, description);
    }

    [TestMethod]
    [DataRow("PRIVATE KEY")]
    [DataRow("EC PRIVATE KEY")]
    [DataRow("ENCRYPTED PRIVATE KEY")]
    public void Decode_PemPrivateKeyLabel_ThrowsSayingImportOnlyPublicKeys(string label)
    {
        // Arrange
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = PemEncoding.WriteString(label, ecdsa.ExportPkcs8PrivateKey());

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(Utf8(pem), KeyFormat.Pem, null));

        // Assert
        Assert.AreEqual(ErrorCodes.MalformedPem, e.ErrorCode);
        StringAssert.Contains(e.Message, "this is a private key, import only public keys");
    }

    [TestMethod]
    public void Decode_PemWithInvalidUtf8_ThrowsMalformedPem()
    {
        // Arrange: a lone continuation byte inside the Base64.
        var bytes = Utf8(WycheproofSecp256k1Pem);
        bytes[40] = 0x80;

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(bytes, KeyFormat.Pem, null));

        // Assert
        Assert.AreEqual(ErrorCodes.MalformedPem, e.ErrorCode);
        StringAssert.Contains(e.Message, "UTF-8");
    }

    [TestMethod]
    public void Decode_PemAroundMalformedDer_ThrowsMalformedDer()
    {
        // Arrange
        var der = Hex(VerificationKeyKnownAnswerTests.WycheproofSecp256k1Spki1);
        var pem = PemEncoding.WriteString("PUBLIC KEY", der.AsSpan(0, der.Length - 1));

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(Utf8(pem), KeyFormat.Pem, null));

        // Assert
        Assert.AreEqual(ErrorCodes.MalformedDer, e.ErrorCode);
    }

    // ---- DER ----

    public static IEnumerable<object[]> MalformedDers()
    {
        var spki = Hex(VerificationKeyKnownAnswerTests.WycheproofSecp256k1Spki1);
        yield return ["truncated", spki[..^1]];
        yield return ["trailing byte", (byte[])[.. spki, 0x00]];
        yield return ["long-form length (BER)", (byte[])[0x30, 0x81, .. spki.AsSpan(1)]];
        yield return ["indefinite length (BER)", (byte[])[0x30, 0x80, .. spki.AsSpan(2), 0x00, 0x00]];
        yield return ["BIT STRING with unused bits", WithUnusedBits(spki)];
        yield return ["EC key without curve parameters", Spki(w => w.WriteObjectIdentifier(Oids.EcPublicKey), spki[^65..])];
        yield return ["rsaEncryption without NULL parameters", Spki(w => w.WriteObjectIdentifier(Oids.RsaEncryption), Hex("3006020103020103"))];
        yield return ["Ed25519 with NULL parameters", Spki(w => { w.WriteObjectIdentifier(Oids.Ed25519); w.WriteNull(); }, new byte[32])];
        yield return ["Ed25519 key of 33 bytes", Spki(w => w.WriteObjectIdentifier(Oids.Ed25519), new byte[33])];
        yield return ["EC point of the wrong length", Spki(w => { w.WriteObjectIdentifier(Oids.EcPublicKey); w.WriteObjectIdentifier(Oids.Secp256k1); }, spki[^64..])];
        yield return ["not DER at all", Utf8("hello")];
        yield return ["empty", Array.Empty<byte>()];
    }

    [TestMethod]
    [DynamicData(nameof(MalformedDers))]
    public void Decode_MalformedDer_ThrowsMalformedDer(string description, byte[] der)
    {
        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(der, KeyFormat.Der, null), description);

        // Assert
        Assert.AreEqual(ErrorCodes.MalformedDer, e.ErrorCode, description);
    }

    public static IEnumerable<object[]> UnsupportedAlgorithms()
    {
        yield return ["Ed448", Spki(w => w.WriteObjectIdentifier("1.3.101.113"), new byte[57])];
        yield return ["DSA", Spki(w => w.WriteObjectIdentifier("1.2.840.10040.4.1"), Hex("020101"))];
        yield return ["RSASSA-PSS-restricted key", Spki(w => w.WriteObjectIdentifier("1.2.840.113549.1.1.10"), Hex("3006020103020103"))];
        yield return ["brainpoolP256r1 curve", Spki(w => { w.WriteObjectIdentifier(Oids.EcPublicKey); w.WriteObjectIdentifier("1.3.36.3.3.2.8.1.1.7"); }, new byte[65])];
        yield return ["explicit curve parameters", ExplicitCurveSpki()];
    }

    [TestMethod]
    [DynamicData(nameof(UnsupportedAlgorithms))]
    public void Decode_UnsupportedAlgorithmOrCurve_ThrowsUnsupportedAlgorithm(string description, byte[] der)
    {
        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(der, KeyFormat.Der, null), description);

        // Assert
        Assert.AreEqual(ErrorCodes.UnsupportedAlgorithm, e.ErrorCode, description);
    }

    [TestMethod]
    [DataRow("ecdsa-p256")]
    [DataRow("ecdsa-p384")]
    [DataRow("ecdsa-p521")]
    [DataRow("ecdsa-secp256k1")]
    public void Decode_PointNotOnCurve_ThrowsPointNotOnCurve(string specName)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var spki = TestKeys.For(spec).ExportSpki();
        var badSpki = FlipBit(spki, spki.Length - 1);
        var badRaw = FlipBit(PublicKeyCodec.Encode(spec, spki, KeyFormat.Raw), 5);

        // Act
        var der = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(badSpki, KeyFormat.Der, null));
        var raw = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(badRaw, KeyFormat.Raw, spec));

        // Assert
        Assert.AreEqual(ErrorCodes.PointNotOnCurve, der.ErrorCode);
        Assert.AreEqual(ErrorCodes.PointNotOnCurve, raw.ErrorCode);
    }

    [TestMethod]
    public void Decode_CoordinateAboveFieldPrimeOrPointAtInfinity_ThrowsPointNotOnCurve()
    {
        // Arrange
        byte[] xTooLarge = [0x04, .. Enumerable.Repeat((byte)0xFF, 64)];
        byte[] infinity = [0x00];

        // Act
        var large = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(xTooLarge, KeyFormat.Raw, KeySpec.EcdsaP256));
        var atInfinity = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(infinity, KeyFormat.Raw, KeySpec.EcdsaP256));

        // Assert
        Assert.AreEqual(ErrorCodes.PointNotOnCurve, large.ErrorCode);
        Assert.AreEqual(ErrorCodes.PointNotOnCurve, atInfinity.ErrorCode);
    }

    [TestMethod]
    public void Decode_CompressedXWithoutPointOnCurve_ThrowsPointNotOnCurve()
    {
        // Arrange: about half of all X values have no point; try X = 1, 2, 3, ... until one has none.
        var rejected = 0;
        for (byte x = 1; x < 40 && rejected == 0; x++)
        {
            var compressed = new byte[33];
            compressed[0] = 0x02;
            compressed[32] = x;

            // Act
            try
            {
                PublicKeyCodec.Decode(compressed, KeyFormat.Raw, KeySpec.EcdsaP256);
            }
            catch (KeyFormatException e)
            {
                // Assert
                Assert.AreEqual(ErrorCodes.PointNotOnCurve, e.ErrorCode);
                rejected++;
            }
        }

        Assert.AreEqual(1, rejected);
    }

    [TestMethod]
    [DataRow("0100000000000000000000000000000000000000000000000000000000000000", DisplayName = "identity (small order)")]
    [DataRow("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", DisplayName = "y = p, not canonical")]
    [DataRow("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", DisplayName = "y = -1, order 2")]
    public void Decode_InvalidEd25519Point_ThrowsPointNotOnCurve(string raw)
    {
        // Act
        var fromRaw = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(Hex(raw), KeyFormat.Raw, KeySpec.Ed25519));
        var fromDer = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(Spki(w => w.WriteObjectIdentifier(Oids.Ed25519), Hex(raw)), KeyFormat.Der, null));

        // Assert
        Assert.AreEqual(ErrorCodes.PointNotOnCurve, fromRaw.ErrorCode);
        Assert.AreEqual(ErrorCodes.PointNotOnCurve, fromDer.ErrorCode);
    }

    [TestMethod]
    [DataRow("ecdsa-p256")]
    [DataRow("ecdsa-p384")]
    [DataRow("ecdsa-p521")]
    [DataRow("ecdsa-secp256k1")]
    public void Decode_CompressedPointRawAndInSpki_SameCanonicalUncompressedSpki(string specName)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var spki = TestKeys.For(spec).ExportSpki();
        var uncompressed = PublicKeyCodec.Encode(spec, spki, KeyFormat.Raw);
        var fieldBytes = (uncompressed.Length - 1) / 2;
        byte[] compressed = [(byte)(0x02 | (uncompressed[^1] & 1)), .. uncompressed.AsSpan(1, fieldBytes)];
        var curveOid = EcCurveInfo.For(spec).Oid;
        var compressedSpki = Spki(w => { w.WriteObjectIdentifier(Oids.EcPublicKey); w.WriteObjectIdentifier(curveOid); }, compressed);

        // Act
        var fromRaw = PublicKeyCodec.Decode(compressed, KeyFormat.Raw, spec);
        var fromDer = PublicKeyCodec.Decode(compressedSpki, KeyFormat.Der, spec);
        var otherParity = PublicKeyCodec.Decode([(byte)(compressed[0] ^ 1), .. compressed.AsSpan(1)], KeyFormat.Raw, spec);

        // Assert
        CollectionAssert.AreEqual(spki, fromRaw.Spki);
        CollectionAssert.AreEqual(spki, fromDer.Spki);
        CollectionAssert.AreNotEqual(spki, otherParity.Spki, "the other parity byte selects -P, a different key");
    }

    // ---- Raw ----

    [TestMethod]
    [DataRow(33, DisplayName = "compressed P-256 or secp256k1 point")]
    [DataRow(65, DisplayName = "uncompressed P-256 or secp256k1 point")]
    [DataRow(97, DisplayName = "uncompressed P-384 point")]
    [DataRow(31, DisplayName = "31 bytes")]
    [DataRow(0, DisplayName = "empty")]
    public void Decode_RawOtherThan32BytesWithoutSpec_ThrowsRawKeyNeedsSpec(int length)
    {
        // Arrange
        var raw = new byte[length];
        if (length > 0)
        {
            raw[0] = length % 2 == 1 && length > 33 ? (byte)0x04 : (byte)0x02;
        }

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(raw, KeyFormat.Raw, null));

        // Assert
        Assert.AreEqual(ErrorCodes.RawKeyNeedsSpec, e.ErrorCode);
    }

    [TestMethod]
    public void Decode_Raw32BytesWithoutSpec_Ed25519()
    {
        // Act: 32 bytes can only be an Ed25519 key.
        var decoded = PublicKeyCodec.Decode(Hex(Rfc8032Test1PublicKey), KeyFormat.Raw, null);

        // Assert
        Assert.AreEqual(KeySpec.Ed25519, decoded.Spec);
        CollectionAssert.AreEqual(PublicKeyCodec.Decode(Hex(Rfc8032Test1PublicKey), KeyFormat.Raw, KeySpec.Ed25519).Spki, decoded.Spki);
    }

    [TestMethod]
    public void Decode_Raw32BytesWithoutSpecNotAPoint_ThrowsPointNotOnCurve()
    {
        // Act: read as Ed25519, then validated like any Ed25519 key (all zeros is a small-order point).
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(new byte[32], KeyFormat.Raw, null));

        // Assert
        Assert.AreEqual(ErrorCodes.PointNotOnCurve, e.ErrorCode);
    }

    [TestMethod]
    public void Decode_Raw32BytesDeclaredEcdsa_ThrowsMalformedRawKey()
    {
        // Act: a declared spec still wins; 32 bytes are no P-256 point.
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(Hex(Rfc8032Test1PublicKey), KeyFormat.Raw, KeySpec.EcdsaP256));

        // Assert
        Assert.AreEqual(ErrorCodes.MalformedRawKey, e.ErrorCode);
    }

    [TestMethod]
    [DataRow("ecdsa-p256", 64, (byte)0x04)]
    [DataRow("ecdsa-p256", 65, (byte)0x05)]
    [DataRow("ecdsa-p256", 33, (byte)0x04)]
    [DataRow("ecdsa-p384", 65, (byte)0x04)]
    [DataRow("ecdsa-p521", 132, (byte)0x04)]
    [DataRow("ed25519", 31, (byte)0x00)]
    [DataRow("ed25519", 33, (byte)0x00)]
    [DataRow("rsa-2048", 256, (byte)0x00)]
    public void Decode_RawOfWrongLengthOrPrefixOrRsa_ThrowsMalformedRawKey(string specName, int length, byte prefix)
    {
        // Arrange
        var raw = new byte[length];
        raw[0] = prefix;

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(raw, KeyFormat.Raw, KeySpec.Parse(specName)));

        // Assert
        Assert.AreEqual(ErrorCodes.MalformedRawKey, e.ErrorCode);
    }

    // ---- Expected spec, RSA rules, sizes, formats ----

    [TestMethod]
    [DataRow("ecdsa-p256", "ecdsa-p384")]
    [DataRow("ecdsa-secp256k1", "ecdsa-p256")]
    [DataRow("ed25519", "ecdsa-p256")]
    [DataRow("ecdsa-p521", "ed25519")]
    [DataRow("rsa-2048", "rsa-3072")]
    [DataRow("rsa-4096", "ecdsa-p256")]
    public void Decode_KeyOfAnotherSpecThanExpected_ThrowsKeySpecMismatch(string actualName, string expectedName)
    {
        // Arrange
        var spki = TestKeys.For(KeySpec.Parse(actualName)).ExportSpki();

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(spki, KeyFormat.Der, KeySpec.Parse(expectedName)));

        // Assert
        Assert.AreEqual(ErrorCodes.KeySpecMismatch, e.ErrorCode);
        StringAssert.Contains(e.Message, expectedName);
    }

    [TestMethod]
    [DataRow(1024)]
    [DataRow(1536)]
    public void Decode_RsaKeySmallerThan2048_ThrowsWeakRsaKey(int bits)
    {
        // Arrange
        using var rsa = RSA.Create(bits);

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(rsa.ExportSubjectPublicKeyInfo(), KeyFormat.Der, null));

        // Assert
        Assert.AreEqual(ErrorCodes.WeakOrUnsupportedRsaKey, e.ErrorCode);
        StringAssert.Contains(e.Message, $"{bits} bits");
    }

    [TestMethod]
    [DataRow("01", DisplayName = "e = 1")]
    [DataRow("02", DisplayName = "e = 2 (even)")]
    [DataRow("010000", DisplayName = "e = 65536 (even)")]
    [DataRow("010000000000000001", DisplayName = "e = 2^64 + 1 (too long)")]
    public void Decode_RsaWithUnsafeExponent_ThrowsWeakRsaKey(string exponent)
    {
        // Arrange
        var modulus = RsaModulus(KeySpec.Rsa2048);

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(RsaSpki(modulus, Hex(exponent)), KeyFormat.Der, null));

        // Assert
        Assert.AreEqual(ErrorCodes.WeakOrUnsupportedRsaKey, e.ErrorCode);
    }

    [TestMethod]
    [DataRow("03", DisplayName = "e = 3")]
    [DataRow("11", DisplayName = "e = 17")]
    [DataRow("FFFF", DisplayName = "e = 65535")]
    public void Decode_RsaExponentBelow65537_ThrowsWeakRsaKeyNamingFips(string exponent)
    {
        // Arrange: odd exponents that older rules accepted; FIPS 186-5 requires e > 2^16.
        var spki = RsaSpki(RsaModulus(KeySpec.Rsa2048), Hex(exponent));

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(spki, KeyFormat.Der, KeySpec.Rsa2048));

        // Assert
        Assert.AreEqual(ErrorCodes.WeakOrUnsupportedRsaKey, e.ErrorCode);
        StringAssert.Contains(e.Message, "65537");
        StringAssert.Contains(e.Message, "FIPS 186-5");
    }

    [TestMethod]
    public void Decode_RsaExponent3AsPem_ThrowsWeakRsaKey()
    {
        // Arrange: the same rule for every format that carries an RSA key.
        var pem = PemEncoding.WriteString("PUBLIC KEY", RsaSpki(RsaModulus(KeySpec.Rsa2048), [3]));

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(System.Text.Encoding.UTF8.GetBytes(pem), KeyFormat.Pem, null));

        // Assert
        Assert.AreEqual(ErrorCodes.WeakOrUnsupportedRsaKey, e.ErrorCode);
    }

    [TestMethod]
    [DataRow("010001", DisplayName = "e = 65537")]
    [DataRow("010003", DisplayName = "e = 65539")]
    public void Decode_RsaExponentFrom65537_Accepted(string exponent)
    {
        // Arrange
        var spki = RsaSpki(RsaModulus(KeySpec.Rsa2048), Hex(exponent));

        // Act
        var decoded = PublicKeyCodec.Decode(spki, KeyFormat.Der, KeySpec.Rsa2048);

        // Assert
        CollectionAssert.AreEqual(spki, decoded.Spki);
    }

    [TestMethod]
    public void Decode_Rsa2047BitOrEvenModulus_ThrowsWeakRsaKey()
    {
        // Arrange
        var modulus = RsaModulus(KeySpec.Rsa2048);
        var short2047 = (byte[])modulus.Clone();
        short2047[0] = 0x7F;
        var even = (byte[])modulus.Clone();
        even[^1] &= 0xFE;

        // Act
        var shortError = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(RsaSpki(short2047, [1, 0, 1]), KeyFormat.Der, null));
        var evenError = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(RsaSpki(even, [1, 0, 1]), KeyFormat.Der, null));

        // Assert
        Assert.AreEqual(ErrorCodes.WeakOrUnsupportedRsaKey, shortError.ErrorCode);
        StringAssert.Contains(shortError.Message, "2047 bits");
        Assert.AreEqual(ErrorCodes.WeakOrUnsupportedRsaKey, evenError.ErrorCode);
    }

    [TestMethod]
    [DataRow(KeyFormat.Pem)]
    [DataRow(KeyFormat.Der)]
    [DataRow(KeyFormat.Raw)]
    public void Decode_InputLargerThan16KiB_ThrowsKeyDataTooLarge(KeyFormat format)
    {
        // Arrange
        var data = new byte[PublicKeyCodec.MaxInputBytes + 1];

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(data, format, KeySpec.EcdsaP256));

        // Assert
        Assert.AreEqual(ErrorCodes.KeyDataTooLarge, e.ErrorCode);
    }

    [TestMethod]
    public void Decode_PemWithLeadingUtf8Bom_Accepted()
    {
        // Arrange
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. Utf8(WycheproofSecp256k1Pem)];

        // Act
        var decoded = PublicKeyCodec.Decode(withBom, KeyFormat.Pem, null);

        // Assert
        CollectionAssert.AreEqual(Hex(VerificationKeyKnownAnswerTests.WycheproofSecp256k1Spki1), decoded.Spki);
    }

    [TestMethod]
    public void DecodeAndEncode_UndefinedFormat_ThrowUnsupportedKeyFormat()
    {
        // Arrange
        var spki = TestKeys.For(KeySpec.EcdsaP256).ExportSpki();

        // Act
        var decode = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(spki, (KeyFormat)42, null));
        var encode = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Encode(KeySpec.EcdsaP256, spki, (KeyFormat)42));

        // Assert
        Assert.AreEqual(ErrorCodes.UnsupportedKeyFormat, decode.ErrorCode);
        Assert.AreEqual(ErrorCodes.UnsupportedKeyFormat, encode.ErrorCode);
    }

    [TestMethod]
    public void Decode_Jwk_ThrowsUnsupportedKeyFormat()
    {
        // Arrange
        var jwk = PublicKeyCodec.Encode(KeySpec.Ed25519, TestKeys.For(KeySpec.Ed25519).ExportSpki(), KeyFormat.Jwk);

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => PublicKeyCodec.Decode(jwk, KeyFormat.Jwk, KeySpec.Ed25519));

        // Assert
        Assert.AreEqual(ErrorCodes.UnsupportedKeyFormat, e.ErrorCode);
    }

    private static byte[] Spki(Action<AsnWriter> writeAlgorithm, byte[] key)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writeAlgorithm(writer);
            }

            writer.WriteBitString(key);
        }

        return writer.Encode();
    }

    private static byte[] WithUnusedBits(byte[] spki)
    {
        var reader = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence();
        var algorithm = reader.ReadEncodedValue().ToArray();
        var key = reader.ReadBitString(out _);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(algorithm);
            key[^1] &= 0xF0;
            writer.WriteBitString(key, unusedBitCount: 4);
        }

        return writer.Encode();
    }

    private static byte[] ExplicitCurveSpki()
    {
        using var named = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var explicitCurve = ECDsa.Create();
        explicitCurve.ImportParameters(named.ExportExplicitParameters(includePrivateParameters: false));
        return explicitCurve.ExportSubjectPublicKeyInfo();
    }

    private static byte[] RsaModulus(KeySpec spec)
    {
        var reader = new AsnReader(TestKeys.For(spec).ExportSpki(), AsnEncodingRules.DER).ReadSequence();
        reader.ReadSequence();
        var rsaPublicKey = new AsnReader(reader.ReadBitString(out _), AsnEncodingRules.DER).ReadSequence();
        return rsaPublicKey.ReadIntegerBytes().Span.TrimStart((byte)0).ToArray();
    }

    private static byte[] RsaSpki(byte[] modulus, byte[] exponent)
    {
        var key = new AsnWriter(AsnEncodingRules.DER);
        using (key.PushSequence())
        {
            key.WriteIntegerUnsigned(modulus);
            key.WriteIntegerUnsigned(exponent);
        }

        return Spki(w => { w.WriteObjectIdentifier(Oids.RsaEncryption); w.WriteNull(); }, key.Encode());
    }
}
