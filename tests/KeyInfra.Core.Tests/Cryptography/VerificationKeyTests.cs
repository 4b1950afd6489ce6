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
public sealed class VerificationKeyTests
{
    private static readonly byte[] s_message = Utf8("KeyInfra verification test message");

    public static IEnumerable<object[]> EverySpecEncodingPaddingHash()
    {
        string[] hashes = ["SHA256", "SHA384", "SHA512"];
        foreach (var spec in KeySpec.All)
        {
            if (spec.Algorithm == KeyAlgorithm.EdDsa)
            {
                yield return [spec.Name, SignatureEncoding.P1363, RsaPadding.Pss, "SHA512", false];
                continue;
            }

            foreach (var hash in hashes)
            {
                foreach (var inputIsHash in new[] { false, true })
                {
                    if (spec.Algorithm == KeyAlgorithm.Ecdsa)
                    {
                        yield return [spec.Name, SignatureEncoding.P1363, RsaPadding.Pss, hash, inputIsHash];
                        yield return [spec.Name, SignatureEncoding.Der, RsaPadding.Pss, hash, inputIsHash];
                    }
                    else
                    {
                        yield return [spec.Name, SignatureEncoding.P1363, RsaPadding.Pss, hash, inputIsHash];
                        yield return [spec.Name, SignatureEncoding.P1363, RsaPadding.Pkcs1, hash, inputIsHash];
                    }
                }
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(EverySpecEncodingPaddingHash))]
    public void Verify_SignedByMatchingKey_Valid(string specName, SignatureEncoding encoding, RsaPadding padding, string hash, bool inputIsHash)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var parameters = new SignatureParameters(HashByName(hash), encoding, padding);
        var input = inputIsHash ? HashOf(hash, s_message) : s_message;
        var signature = TestKeys.For(spec).Sign(input, inputIsHash, parameters);
        using var key = TestKeys.VerifierFor(spec);

        // Act
        var status = key.Verify(input, inputIsHash, signature, parameters);

        // Assert
        Assert.AreEqual(VerificationStatus.Valid, status);
        if (spec.Algorithm == KeyAlgorithm.Ecdsa && encoding == SignatureEncoding.P1363)
        {
            Assert.AreEqual(2 * ((spec.KeySizeBits + 7) / 8), signature.Length);
        }
    }

    [TestMethod]
    [DynamicData(nameof(AllSpecNames), typeof(TestKeys))]
    public void Verify_TamperedData_InvalidSignature(string specName)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var parameters = DefaultParameters(spec);
        var signature = TestKeys.For(spec).Sign(s_message, false, parameters);
        using var key = TestKeys.VerifierFor(spec);

        // Act
        var status = key.Verify(FlipBit(s_message, 3), false, signature, parameters);

        // Assert
        Assert.AreEqual(VerificationStatus.InvalidSignature, status);
    }

    [TestMethod]
    [DynamicData(nameof(AllSpecNames), typeof(TestKeys))]
    public void Verify_TamperedSignature_InvalidSignature(string specName)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var parameters = DefaultParameters(spec);
        var signature = TestKeys.For(spec).Sign(s_message, false, parameters);
        using var key = TestKeys.VerifierFor(spec);

        // Act: a bit in the middle, so the length and encoding stay well formed.
        var status = key.Verify(s_message, false, FlipBit(signature, signature.Length / 2, 2), parameters);

        // Assert
        Assert.AreEqual(VerificationStatus.InvalidSignature, status);
    }

    [TestMethod]
    [DynamicData(nameof(AllSpecNames), typeof(TestKeys))]
    public void Verify_SignatureOfAnotherKeyOfSameSpec_InvalidSignature(string specName)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var parameters = DefaultParameters(spec);
        using var other = SigningKey.Generate(spec.Algorithm == KeyAlgorithm.Rsa ? KeySpec.Rsa2048 : spec);
        var signature = other.Sign(s_message, false, parameters);
        using var key = TestKeys.VerifierFor(spec.Algorithm == KeyAlgorithm.Rsa ? KeySpec.Rsa2048 : spec);

        // Act
        var status = key.Verify(s_message, false, signature, parameters);

        // Assert
        Assert.AreEqual(VerificationStatus.InvalidSignature, status);
    }

    [TestMethod]
    [DynamicData(nameof(AllSpecNames), typeof(TestKeys))]
    public void Verify_EmptySignature_MalformedSignature(string specName)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        using var key = TestKeys.VerifierFor(spec);

        // Act
        var p1363 = key.Verify(s_message, false, [], DefaultParameters(spec));
        var der = key.Verify(s_message, false, [], DefaultParameters(spec) with { Encoding = SignatureEncoding.Der });

        // Assert
        Assert.AreEqual(VerificationStatus.MalformedSignature, p1363);
        Assert.AreEqual(VerificationStatus.MalformedSignature, der);
    }

    [TestMethod]
    [DataRow("ecdsa-p256", -1)]
    [DataRow("ecdsa-p256", 1)]
    [DataRow("ecdsa-p521", -1)]
    [DataRow("ecdsa-secp256k1", 1)]
    [DataRow("rsa-2048", -1)]
    [DataRow("rsa-3072", 1)]
    [DataRow("ed25519", -1)]
    [DataRow("ed25519", 1)]
    public void Verify_SignatureOneByteTooShortOrLong_MalformedSignature(string specName, int delta)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var parameters = DefaultParameters(spec);
        var signature = TestKeys.For(spec).Sign(s_message, false, parameters);
        var resized = new byte[signature.Length + delta];
        signature.AsSpan(0, Math.Min(signature.Length, resized.Length)).CopyTo(resized);
        using var key = TestKeys.VerifierFor(spec);

        // Act
        var status = key.Verify(s_message, false, resized, parameters);

        // Assert
        Assert.AreEqual(VerificationStatus.MalformedSignature, status);
    }

    public static IEnumerable<object[]> MalformedDerSignatures()
    {
        var r = new byte[32];
        var s = new byte[32];
        r[0] = 0x11;
        s[0] = 0x22;
        yield return ["trailing byte after the SEQUENCE", Der(r, s).Concat(new byte[] { 0 }).ToArray()];
        yield return ["long-form length where short form fits", LongFormSequence(r, s)];
        yield return ["indefinite length (BER)", IndefiniteSequence(r, s)];
        yield return ["negative r", DerSigned(Negative(r), s)];
        yield return ["negative s", DerSigned(r, Negative(s))];
        yield return ["r = 0", DerSigned([0], s)];
        yield return ["non-minimal integer (redundant leading zero)", RawSequence([0x02, 0x22, 0x00, 0x00, .. r[1..]], IntegerTlv(s))];
        yield return ["r longer than the field", Der([0x01, .. r], s)];
        yield return ["third INTEGER in the SEQUENCE", RawSequence(IntegerTlv(r), IntegerTlv(s), IntegerTlv([1]))];
        yield return ["only one INTEGER", RawSequence(IntegerTlv(r))];
        yield return ["SET instead of SEQUENCE", (byte[])[0x31, .. Der(r, s).AsSpan(1)]];
        yield return ["truncated", Der(r, s)[..^1]];
        yield return ["P1363 bytes given as DER", r.Concat(s).ToArray()];
    }

    [TestMethod]
    [DynamicData(nameof(MalformedDerSignatures))]
    public void Verify_NonCanonicalOrInvalidDer_MalformedSignature(string description, byte[] signature)
    {
        // Arrange
        using var key = TestKeys.VerifierFor(KeySpec.EcdsaP256);
        var parameters = new SignatureParameters(HashAlgorithmName.SHA256, SignatureEncoding.Der, default);

        // Act
        var status = key.Verify(s_message, false, signature, parameters);

        // Assert
        Assert.AreEqual(VerificationStatus.MalformedSignature, status, description);
    }

    [TestMethod]
    public void Verify_ValidSignatureReencodedWithLongFormLength_MalformedNotValid()
    {
        // Arrange: the same r and s as a valid signature, only the encoding is BER.
        var parameters = new SignatureParameters(HashAlgorithmName.SHA256, SignatureEncoding.P1363, default);
        var p1363 = TestKeys.For(KeySpec.EcdsaP256).Sign(s_message, false, parameters);
        var ber = LongFormSequence(p1363[..32], p1363[32..]);
        using var key = TestKeys.VerifierFor(KeySpec.EcdsaP256);

        // Act
        var asDer = key.Verify(s_message, false, Der(p1363[..32], p1363[32..]), parameters with { Encoding = SignatureEncoding.Der });
        var asBer = key.Verify(s_message, false, ber, parameters with { Encoding = SignatureEncoding.Der });

        // Assert
        Assert.AreEqual(VerificationStatus.Valid, asDer);
        Assert.AreEqual(VerificationStatus.MalformedSignature, asBer);
    }

    [TestMethod]
    [DataRow("ecdsa-p256", "SHA256", 31)]
    [DataRow("ecdsa-p256", "SHA256", 48)]
    [DataRow("ecdsa-p384", "SHA384", 32)]
    [DataRow("ecdsa-secp256k1", "SHA512", 0)]
    [DataRow("rsa-2048", "SHA256", 64)]
    [DataRow("rsa-2048", "SHA512", 63)]
    public void Verify_HashOfWrongLength_AlgorithmMismatch(string specName, string hash, int length)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var parameters = DefaultParameters(spec) with { Hash = HashByName(hash) };
        var signature = TestKeys.For(spec).Sign(s_message, false, parameters);
        using var key = TestKeys.VerifierFor(spec);

        // Act
        var status = key.Verify(new byte[length], true, signature, parameters);

        // Assert
        Assert.AreEqual(VerificationStatus.AlgorithmMismatch, status);
    }

    [TestMethod]
    [DataRow("ecdsa-p256", "SHA1")]
    [DataRow("ecdsa-p384", "MD5")]
    [DataRow("rsa-2048", "SHA1")]
    [DataRow("rsa-2048", "SHA3_256")]
    public void Verify_UnsupportedHashAlgorithm_AlgorithmMismatch(string specName, string hash)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        using var key = TestKeys.VerifierFor(spec);
        var signature = TestKeys.For(spec).Sign(s_message, false, DefaultParameters(spec));

        // Act
        var status = key.Verify(s_message, false, signature, DefaultParameters(spec) with { Hash = HashByName(hash) });

        // Assert
        Assert.AreEqual(VerificationStatus.AlgorithmMismatch, status);
    }

    [TestMethod]
    public void Verify_HashGivenToEd25519_AlgorithmMismatch()
    {
        // Arrange
        using var key = TestKeys.VerifierFor(KeySpec.Ed25519);
        var signature = TestKeys.For(KeySpec.Ed25519).Sign(s_message, false, DefaultParameters(KeySpec.Ed25519));

        // Act
        var status = key.Verify(SHA512.HashData(s_message), true, signature, DefaultParameters(KeySpec.Ed25519));

        // Assert
        Assert.AreEqual(VerificationStatus.AlgorithmMismatch, status);
    }

    [TestMethod]
    public void Verify_UndefinedEncodingOrPadding_AlgorithmMismatch()
    {
        // Arrange
        using var ecdsa = TestKeys.VerifierFor(KeySpec.EcdsaP256);
        using var rsa = TestKeys.VerifierFor(KeySpec.Rsa2048);

        // Act
        var ecdsaStatus = ecdsa.Verify(s_message, false, new byte[64], new SignatureParameters(HashAlgorithmName.SHA256, (SignatureEncoding)99, default));
        var rsaStatus = rsa.Verify(s_message, false, new byte[256], new SignatureParameters(HashAlgorithmName.SHA256, default, (RsaPadding)99));

        // Assert
        Assert.AreEqual(VerificationStatus.AlgorithmMismatch, ecdsaStatus);
        Assert.AreEqual(VerificationStatus.AlgorithmMismatch, rsaStatus);
    }

    [TestMethod]
    public void Verify_ZeroOrAllOnesSignatures_NeverValidNeverThrows()
    {
        // Arrange: edge values CVE-2022-21449 ("psychic signatures") was about.
        using var ecdsa = TestKeys.VerifierFor(KeySpec.EcdsaP256);
        using var rsa = TestKeys.VerifierFor(KeySpec.Rsa2048);
        using var ed = TestKeys.VerifierFor(KeySpec.Ed25519);
        var p256 = new SignatureParameters(HashAlgorithmName.SHA256, SignatureEncoding.P1363, default);
        var pss = new SignatureParameters(HashAlgorithmName.SHA256, default, RsaPadding.Pss);

        // Act
        VerificationStatus[] statuses =
        [
            ecdsa.Verify(s_message, false, new byte[64], p256),
            ecdsa.Verify(s_message, false, Enumerable.Repeat((byte)0xFF, 64).ToArray(), p256),
            rsa.Verify(s_message, false, new byte[256], pss),
            rsa.Verify(s_message, false, Enumerable.Repeat((byte)0xFF, 256).ToArray(), pss),
            ed.Verify(s_message, false, new byte[64], default),
            ed.Verify(s_message, false, Enumerable.Repeat((byte)0xFF, 64).ToArray(), default),
        ];

        // Assert
        CollectionAssert.AreEqual(Enumerable.Repeat(VerificationStatus.InvalidSignature, statuses.Length).ToArray(), statuses);
    }

    [TestMethod]
    public void Verify_RandomDerGarbage_NeverValidNeverThrows()
    {
        // Arrange
        using var key = TestKeys.VerifierFor(KeySpec.EcdsaP384);
        var parameters = new SignatureParameters(HashAlgorithmName.SHA384, SignatureEncoding.Der, default);
        var random = new Random(1234);

        // Act
        var statuses = Enumerable.Range(0, 500).Select(_ =>
        {
            var garbage = new byte[random.Next(0, 120)];
            random.NextBytes(garbage);
            if (garbage.Length > 2)
            {
                garbage[0] = 0x30;
            }

            return key.Verify(s_message, false, garbage, parameters);
        }).ToList();

        // Assert
        Assert.IsFalse(statuses.Contains(VerificationStatus.Valid));
        Assert.IsTrue(statuses.All(s => s is VerificationStatus.MalformedSignature or VerificationStatus.InvalidSignature));
    }

    [TestMethod]
    [DataRow("ecdsa-p256")]
    [DataRow("rsa-2048")]
    [DataRow("ed25519")]
    public void Verify_ConcurrentCallsOnOneInstance_EveryResultCorrect(string specName)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var parameters = DefaultParameters(spec);
        var messages = Enumerable.Range(0, 64).Select(i => Utf8($"message {i}")).ToArray();
        var signatures = messages.Select(m => TestKeys.For(spec).Sign(m, false, parameters)).ToArray();
        using var key = TestKeys.VerifierFor(spec);
        var results = new VerificationStatus[2000];

        // Act: odd iterations verify a signature against the wrong message.
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var m = i % messages.Length;
            var signature = signatures[i % 2 == 0 ? m : (m + 1) % messages.Length];
            results[i] = key.Verify(messages[m], false, signature, parameters);
        });

        // Assert
        for (var i = 0; i < results.Length; i++)
        {
            Assert.AreEqual(i % 2 == 0 ? VerificationStatus.Valid : VerificationStatus.InvalidSignature, results[i], $"iteration {i}");
        }
    }

    [TestMethod]
    public void Create_SpkiOfAnotherSpec_ThrowsKeySpecMismatch()
    {
        // Arrange
        var spki = TestKeys.For(KeySpec.EcdsaP256).ExportSpki();

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => VerificationKey.Create(KeySpec.EcdsaSecp256k1, spki));

        // Assert
        Assert.AreEqual(ErrorCodes.KeySpecMismatch, e.ErrorCode);
    }

    [TestMethod]
    public void Create_MalformedSpki_ThrowsMalformedDer()
    {
        // Arrange
        var spki = TestKeys.For(KeySpec.Ed25519).ExportSpki();

        // Act
        var e = Assert.ThrowsExactly<KeyFormatException>(() => VerificationKey.Create(KeySpec.Ed25519, spki.AsSpan(0, spki.Length - 1)));

        // Assert
        Assert.AreEqual(ErrorCodes.MalformedDer, e.ErrorCode);
    }

    private static byte[] HashOf(string hash, byte[] data) => hash switch
    {
        "SHA256" => SHA256.HashData(data),
        "SHA384" => SHA384.HashData(data),
        _ => SHA512.HashData(data),
    };

    private static byte[] Der(byte[] r, byte[] s)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(r);
            writer.WriteIntegerUnsigned(s);
        }

        return writer.Encode();
    }

    /// <summary>r and s as two's-complement INTEGER contents, so negative and zero values can be written.</summary>
    private static byte[] DerSigned(byte[] r, byte[] s)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(s);
        }

        return writer.Encode();
    }

    private static byte[] Negative(byte[] value) => [0x80, .. value.AsSpan(1)];

    private static byte[] IntegerTlv(byte[] unsignedValue)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteIntegerUnsigned(unsignedValue);
        return writer.Encode();
    }

    private static byte[] RawSequence(params byte[][] contents)
    {
        var body = contents.SelectMany(c => c).ToArray();
        return [0x30, (byte)body.Length, .. body];
    }

    private static byte[] LongFormSequence(byte[] r, byte[] s)
    {
        var body = Der(r, s)[2..];
        return [0x30, 0x81, (byte)body.Length, .. body];
    }

    private static byte[] IndefiniteSequence(byte[] r, byte[] s)
    {
        var body = Der(r, s)[2..];
        return [0x30, 0x80, .. body, 0x00, 0x00];
    }

    [TestMethod]
    [DataRow("ecdsa-p256", 64)]
    [DataRow("ecdsa-p384", 96)]
    [DataRow("ecdsa-p521", 132)]
    public void Diagnose_DerSignatureUnderP1363_MalformedAndSaysDer(string specName, int p1363Length)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var signer = For(spec);
        using var key = VerificationKey.Create(spec, signer.ExportSpki());
        var der = DefaultParameters(spec) with { Encoding = SignatureEncoding.Der };
        var signature = signer.Sign(s_message, inputIsHash: false, der);
        var p1363 = der with { Encoding = SignatureEncoding.P1363 };

        // Act
        var status = key.Verify(s_message, inputIsHash: false, signature, p1363);
        var detail = key.Diagnose(s_message, inputIsHash: false, signature, p1363, status);

        // Assert: still refused, and told why.
        Assert.AreEqual(VerificationStatus.MalformedSignature, status);
        Assert.AreEqual($"{p1363Length}-byte P1363 expected; {signature.Length} bytes that parse as DER (SignatureEncoding.Der).", detail);
    }

    [TestMethod]
    public void Diagnose_P1363SignatureUnderDer_MalformedAndSaysP1363Length()
    {
        // Arrange
        var signer = For(KeySpec.EcdsaP256);
        using var key = VerificationKey.Create(KeySpec.EcdsaP256, signer.ExportSpki());
        var p1363 = DefaultParameters(KeySpec.EcdsaP256) with { Encoding = SignatureEncoding.P1363 };
        var signature = signer.Sign(s_message, inputIsHash: false, p1363);
        var der = p1363 with { Encoding = SignatureEncoding.Der };

        // Act
        var status = key.Verify(s_message, inputIsHash: false, signature, der);
        var detail = key.Diagnose(s_message, inputIsHash: false, signature, der, status);

        // Assert
        Assert.AreEqual(VerificationStatus.MalformedSignature, status);
        Assert.AreEqual("DER expected; 64 bytes that are not DER, the length of a P1363 signature on ecdsa-p256 (SignatureEncoding.P1363).", detail);
    }

    [TestMethod]
    [DataRow(RsaPadding.Pkcs1, RsaPadding.Pss, "PSS expected; the signature verifies as PKCS#1 v1.5 (RsaPadding.Pkcs1).")]
    [DataRow(RsaPadding.Pss, RsaPadding.Pkcs1, "PKCS#1 v1.5 expected; the signature verifies as PSS (RsaPadding.Pss).")]
    public void Diagnose_RsaSignatureOfOtherPadding_InvalidAndNamesThePadding(RsaPadding signedWith, RsaPadding verifiedWith, string expected)
    {
        // Arrange
        var signer = For(KeySpec.Rsa2048);
        using var key = VerificationKey.Create(KeySpec.Rsa2048, signer.ExportSpki());
        var signature = signer.Sign(s_message, inputIsHash: false, DefaultParameters(KeySpec.Rsa2048) with { Padding = signedWith });
        var parameters = DefaultParameters(KeySpec.Rsa2048) with { Padding = verifiedWith };

        // Act
        var status = key.Verify(s_message, inputIsHash: false, signature, parameters);
        var detail = key.Diagnose(s_message, inputIsHash: false, signature, parameters, status);

        // Assert
        Assert.AreEqual(VerificationStatus.InvalidSignature, status);
        Assert.AreEqual(expected, detail);
    }

    [TestMethod]
    [DataRow("ecdsa-p256")]
    [DataRow("rsa-2048")]
    public void Diagnose_SignatureOverOtherHash_InvalidAndNamesTheHash(string specName)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        var signer = For(spec);
        using var key = VerificationKey.Create(spec, signer.ExportSpki());
        var signature = signer.Sign(s_message, inputIsHash: false, DefaultParameters(spec) with { Hash = HashAlgorithmName.SHA512 });
        var parameters = DefaultParameters(spec) with { Hash = HashAlgorithmName.SHA256 };

        // Act
        var status = key.Verify(s_message, inputIsHash: false, signature, parameters);
        var detail = key.Diagnose(s_message, inputIsHash: false, signature, parameters, status);

        // Assert
        Assert.AreEqual(VerificationStatus.InvalidSignature, status);
        Assert.AreEqual("SHA256 expected; the signature verifies with SHA512 (SignatureOptions.HashAlgorithm).", detail);
    }

    [TestMethod]
    [DataRow("ecdsa-p256")]
    [DataRow("rsa-2048")]
    [DataRow("ed25519")]
    public void Diagnose_TamperedSignature_InvalidWithoutDetail(string specName)
    {
        // Arrange: a forgery is not a mix-up of options; nothing verifies it.
        var spec = KeySpec.Parse(specName);
        var signer = For(spec);
        using var key = VerificationKey.Create(spec, signer.ExportSpki());
        var parameters = DefaultParameters(spec);
        var signature = FlipBit(signer.Sign(s_message, inputIsHash: false, parameters), 5);

        // Act
        var status = key.Verify(s_message, inputIsHash: false, signature, parameters);
        var detail = key.Diagnose(s_message, inputIsHash: false, signature, parameters, status);

        // Assert
        Assert.AreEqual(VerificationStatus.InvalidSignature, status);
        Assert.IsNull(detail);
    }

    [TestMethod]
    [DataRow("rsa-2048", 100, "A 256-byte signature expected (the rsa-2048 modulus); got 100 bytes.")]
    [DataRow("ed25519", 63, "A 64-byte Ed25519 signature expected; got 63 bytes.")]
    [DataRow("ecdsa-p256", 0, "The signature is empty.")]
    [DataRow("ecdsa-p256", 65, "64-byte P1363 expected (ecdsa-p256); got 65 bytes.")]
    public void Diagnose_SignatureOfWrongLength_MalformedAndSaysTheLength(string specName, int length, string expected)
    {
        // Arrange
        var spec = KeySpec.Parse(specName);
        using var key = VerifierFor(spec);
        var signature = new byte[length];
        var parameters = DefaultParameters(spec);

        // Act
        var status = key.Verify(s_message, inputIsHash: false, signature, parameters);
        var detail = key.Diagnose(s_message, inputIsHash: false, signature, parameters, status);

        // Assert
        Assert.AreEqual(VerificationStatus.MalformedSignature, status);
        Assert.AreEqual(expected, detail);
    }

    [TestMethod]
    public void Diagnose_HashOfWrongLength_AlgorithmMismatchAndSaysTheLength()
    {
        // Arrange
        using var key = VerifierFor(KeySpec.EcdsaP384);
        var parameters = DefaultParameters(KeySpec.EcdsaP384);
        var hash = new byte[32];

        // Act
        var status = key.Verify(hash, inputIsHash: true, new byte[96], parameters);
        var detail = key.Diagnose(hash, inputIsHash: true, new byte[96], parameters, status);

        // Assert
        Assert.AreEqual(VerificationStatus.AlgorithmMismatch, status);
        Assert.AreEqual("A SHA384 hash is 48 bytes; got 32 (SignatureOptions.HashAlgorithm names the hash).", detail);
    }
}
