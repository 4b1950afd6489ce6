using System.Collections;
using System.Security.Cryptography;
using System.Text.Json;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// Signatures, keys and strings as the database holds them, on each provider: a private key cannot be moved to another
/// tenant than its public key's, a key's low-S rule is stored and enforced (Wycheproof's Bitcoin vectors), the log
/// records one hash per signature whatever its encoding and never hashes more than the key's longest signature, and
/// input the stores would silently rewrite (ill-formed UTF-16) or read twice (metadata) is refused or read once.
/// </summary>
public abstract class SignatureHardeningConformanceTests
{
    private static readonly byte[] Document = "signature hardening"u8.ToArray();

    // One master key for every host of the suite on the shared database.
    private static readonly string s_masterKey = TestHost.NewMasterKey();

    /// <summary>The provider's database, shared by the tests of the class.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task PrivateKeyRow_MovedToAnotherTenant_IsRefusedByTheDatabase()
    {
        // Arrange: a writer without the master key tries to pair one tenant's private key with another tenant's key id.
        await using var host = await StartHostAsync();
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "tenant-bound"));
        var otherTenant = Guid.CreateVersion7();

        // Act
        var moved = await Assert.ThrowsAsync<Exception>(() => Storage.ExecuteAsync("UPDATE private_keys SET tenant_id = $1 WHERE key_id = $2", otherTenant, key.Id));

        // Assert: the composite foreign key (tenant_id, key_id) → public_keys (tenant_id, id) holds.
        Assert.IsNotNull(moved);
        Assert.AreEqual(1L, await Storage.ScalarAsync<long>("SELECT count(*) FROM private_keys WHERE key_id = $1 AND tenant_id = $2", key.Id, key.TenantId));
    }

    [TestMethod]
    public async Task PrivateKeyRow_InsertedUnderAnotherTenantsPublicKey_IsRefusedByTheDatabase()
    {
        // Arrange: a verification-only key of the default tenant.
        await using var host = await StartHostAsync();
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = await host.Get<IKeyStore>().ImportAsync(new ImportKeyRequest("public only", ecdsa.ExportSubjectPublicKeyInfo(), KeyFormat.Der));

        // Act: a private key row for it, in another tenant.
        var inserted = await Assert.ThrowsAsync<Exception>(() => Storage.ExecuteAsync(
            "INSERT INTO private_keys (key_id, tenant_id, backend, protection, key_material, created_at, updated_at) VALUES ($1, $2, 'software', 'envelope', $3, $4, $4)",
            key.Id, Guid.CreateVersion7(), new byte[] { 1, 2, 3 }, DateTimeOffset.UtcNow));

        // Assert: refused for the tenant alone; the same row in the key's own tenant goes in.
        Assert.IsNotNull(inserted);
        Assert.AreEqual(0L, await Storage.ScalarAsync<long>("SELECT count(*) FROM private_keys WHERE key_id = $1", key.Id));
        await Storage.ExecuteAsync(
            "INSERT INTO private_keys (key_id, tenant_id, backend, protection, key_material, created_at, updated_at) VALUES ($1, $2, 'software', 'envelope', $3, $4, $4)",
            key.Id, key.TenantId, new byte[] { 1, 2, 3 }, DateTimeOffset.UtcNow);
        Assert.AreEqual(1L, await Storage.ScalarAsync<long>("SELECT count(*) FROM private_keys WHERE key_id = $1", key.Id));
        await Storage.ExecuteAsync("DELETE FROM private_keys WHERE key_id = $1", key.Id);
    }

    [TestMethod]
    public async Task RequireLowS_CreatedAndImported_StoredAndReadBack()
    {
        // Arrange
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var created = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaSecp256k1, "low-s") { RequireLowS = true });
        var imported = await keys.ImportAsync(new ImportKeyRequest("low-s import", ecdsa.ExportSubjectPublicKeyInfo(), KeyFormat.Der) { RequireLowS = true });
        var plain = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "default"));
        await Storage.RestartAsync();
        await using var again = await StartHostAsync();

        // Assert: the column holds it, and a fresh host reads it.
        Assert.IsTrue((await again.Get<IKeyStore>().GetAsync(created.Id))!.RequireLowS);
        Assert.IsTrue((await again.Get<IKeyStore>().GetAsync(imported.Id))!.RequireLowS);
        Assert.IsFalse((await again.Get<IKeyStore>().GetAsync(plain.Id))!.RequireLowS);
        Assert.AreEqual(1L, await Storage.ScalarAsync<long>("SELECT count(*) FROM public_keys WHERE id = $1 AND require_low_s", created.Id));
        Assert.AreEqual(0L, await Storage.ScalarAsync<long>("SELECT count(*) FROM public_keys WHERE id = $1 AND require_low_s", plain.Id));
    }

    [TestMethod]
    public async Task RequireLowS_OnAnRsaOrEd25519Key_IsRefused()
    {
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "no") { RequireLowS = true }));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => keys.CreateAsync(new CreateKeyRequest(KeySpec.Rsa2048, "no") { RequireLowS = true }));
    }

    [TestMethod]
    public async Task RequireLowS_WycheproofBitcoinVectors_EveryVerdictAsPublished()
    {
        // Arrange: every key of the vector file, imported to require low S, each vector verified through the engine.
        await using var host = await StartHostAsync();
        var vectors = WycheproofBitcoinVectors();
        var keyIds = new Dictionary<string, KeyId>(StringComparer.Ordinal);
        foreach (var vector in vectors)
        {
            if (!keyIds.ContainsKey(vector.PublicKeyDer))
            {
                var key = await host.Get<IKeyStore>().ImportAsync(new ImportKeyRequest("wycheproof", Convert.FromHexString(vector.PublicKeyDer), KeyFormat.Der)
                {
                    SignatureEncoding = SignatureEncoding.Der,
                    RequireLowS = true,
                });
                keyIds[vector.PublicKeyDer] = key.Id;
            }
        }

        // Act
        var batch = await host.Get<IVerifier>().VerifyBatchAsync(
            vectors.Select(v => new VerificationRequest(keyIds[v.PublicKeyDer], Convert.FromHexString(v.Message), Convert.FromHexString(v.Signature))).ToList());

        // Assert
        var wrong = vectors.Zip(batch.Results)
            .Where(p => (p.Second.Status == VerificationStatus.Valid) != p.First.Valid)
            .Select(p => $"tcId {p.First.Id} ({p.First.Comment}): {p.Second.Status}")
            .ToList();
        Assert.IsGreaterThan(400, vectors.Count);
        Assert.IsEmpty(wrong, string.Join("; ", wrong));
    }

    [TestMethod]
    public async Task RequireLowS_Off_TheMalleatedHighSSignatureVerifies_On_ItIsRefused()
    {
        // Arrange: Wycheproof's "Signature malleability" vector, valid ECDSA but with s > n/2.
        await using var host = await StartHostAsync();
        var vector = WycheproofBitcoinVectors().Single(v => v.Flags.Contains("SignatureMalleabilityBitcoin"));
        var keys = host.Get<IKeyStore>();
        var der = Convert.FromHexString(vector.PublicKeyDer);
        var plain = await keys.ImportAsync(new ImportKeyRequest("default", der, KeyFormat.Der) { SignatureEncoding = SignatureEncoding.Der });
        var lowS = await keys.ImportAsync(new ImportKeyRequest("low-s", der, KeyFormat.Der) { SignatureEncoding = SignatureEncoding.Der, RequireLowS = true });
        var message = Convert.FromHexString(vector.Message);
        var signature = Convert.FromHexString(vector.Signature);

        // Act
        var byDefault = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(plain.Id, message, signature));
        var refused = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(lowS.Id, message, signature));

        // Assert
        Assert.IsFalse(vector.Valid);
        Assert.AreEqual(VerificationStatus.Valid, byDefault.Status);
        Assert.AreEqual(VerificationStatus.InvalidSignature, refused.Status);
        StringAssert.Contains(refused.Detail, "RequireLowS");
    }

    [TestMethod]
    [DataRow(SignatureEncoding.P1363)]
    [DataRow(SignatureEncoding.Der)]
    public async Task Sign_KeyRequiringLowS_EverySignatureLowAndValid(SignatureEncoding encoding)
    {
        // Arrange: the platform makes high S about half the time; 24 signatures all but surely include some.
        await using var host = await StartHostAsync();
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaSecp256k1, "signs low") { RequireLowS = true, SignatureEncoding = encoding });
        var halfOrder = new System.Numerics.BigInteger(Convert.FromHexString("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0"), isUnsigned: true, isBigEndian: true);

        for (var i = 0; i < 24; i++)
        {
            // Act
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature));

            // Assert
            var p1363 = encoding == SignatureEncoding.Der ? DerToP1363(signature, 32) : signature;
            var s = new System.Numerics.BigInteger(p1363.AsSpan(32), isUnsigned: true, isBigEndian: true);
            Assert.IsLessThanOrEqualTo(halfOrder, s);
            Assert.AreEqual(VerificationStatus.Valid, result.Status);
        }
    }

    [TestMethod]
    public async Task Verify_OneSignatureAsDerAndAsP1363_OneSignatureHashInTheLog()
    {
        // Arrange
        await using var host = await StartHostAsync();
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP384, "two encodings"));
        var p1363 = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
        var der = P1363ToDer(p1363);

        // Act
        var asP1363 = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, p1363));
        var asDer = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, der) { Options = new SignatureOptions { Encoding = SignatureEncoding.Der } });
        var records = (await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items;

        // Assert: the canonical form (P1363) is what the log hashes.
        Assert.AreEqual(VerificationStatus.Valid, asP1363.Status);
        Assert.AreEqual(VerificationStatus.Valid, asDer.Status);
        Assert.HasCount(2, records);
        CollectionAssert.AreEqual(SHA256.HashData(p1363), records[0].SignatureSha256.ToArray());
        CollectionAssert.AreEqual(SHA256.HashData(p1363), records[1].SignatureSha256.ToArray());
    }

    [TestMethod]
    public async Task Verify_SignatureLongerThanTheKeyMakes_MalformedAndOnlyTheKeysLongestIsHashed()
    {
        // Arrange: 4 MiB where a P-256 signature is at most 72 bytes (DER).
        await using var host = await StartHostAsync();
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "capped"));
        var huge = RandomNumberGenerator.GetBytes(4 << 20);

        // Act
        var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, huge));
        var record = (await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items.Single();

        // Assert
        Assert.AreEqual(VerificationStatus.MalformedSignature, result.Status);
        StringAssert.Contains(result.Detail, "at most 72");
        CollectionAssert.AreEqual(SHA256.HashData(huge.AsSpan(0, 72)), record.SignatureSha256.ToArray());
    }

    [TestMethod]
    public async Task Verify_UnknownKeyAndAHugeSignature_HashesNoMoreThanTheLongestOfAnyKey()
    {
        await using var host = await StartHostAsync();
        var unknown = KeyId.New();
        var huge = RandomNumberGenerator.GetBytes(1 << 20);

        var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(unknown, Document, huge));
        var record = (await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = unknown })).Items.Single();

        Assert.AreEqual(VerificationStatus.KeyNotFound, result.Status);
        CollectionAssert.AreEqual(SHA256.HashData(huge.AsSpan(0, 512)), record.SignatureSha256.ToArray());
    }

    [TestMethod]
    public async Task IllFormedUtf16_InEveryStoredString_IsRefused()
    {
        // Arrange: a lone surrogate would be stored as U+FFFD, the same as a real U+FFFD.
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        const string Lone = "ring\uD800";

        // Act / Assert
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "name\uDC00")));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "n") { Owner = "owner\uD800" }));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "n") { RingName = Lone }));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "n") { Metadata = new Dictionary<string, string> { ["k\uDFFF"] = "v" } }));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "n") { Metadata = new Dictionary<string, string> { ["k"] = "\uD83Dv" } }));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => keys.RotateAsync(Lone));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => keys.ListAsync(new KeyQuery { Owner = "owner\uD800" }));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => keys.ListAsync(new KeyQuery { RingName = Lone }));
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "caller"));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, new byte[64]) { Caller = "app\uDC00" }));
        Assert.ThrowsExactly<ArgumentException>(() => Authorization.Caller.ForApplication("app\uD800"));
    }

    [TestMethod]
    public async Task WellFormedText_WithSurrogatePairsAndReplacementCharacter_RoundTripsDistinct()
    {
        // Arrange: U+1F511 (a surrogate pair) and a real U+FFFD are fine, and stay two different rings.
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var suffix = Guid.NewGuid().ToString("N");

        // Act
        var pair = await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "🔑") { RingName = "ring🔑" + suffix, Owner = "own🔑" });
        var replacement = await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "\uFFFD") { RingName = "ring\uFFFD" + suffix });

        // Assert
        Assert.AreEqual(1, pair.RingVersion);
        Assert.AreEqual(1, replacement.RingVersion);
        Assert.AreEqual("own🔑", (await keys.GetAsync(pair.Id))!.Owner);
    }

    [TestMethod]
    public async Task Metadata_DictionaryThatChangesBetweenEnumerations_TheCheckedCopyIsStored()
    {
        // Arrange: the first enumeration is harmless, every later one is not (a metadata value over the limit).
        await using var host = await StartHostAsync();
        var shifty = new ShiftyDictionary(
            [new("purpose", "invoices")],
            [new("purpose", "invoices"), new("smuggled", new string('x', 100_000))]);

        // Act
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "shifty") { Metadata = shifty });
        var stored = (await host.Get<IKeyStore>().GetAsync(key.Id))!.Metadata;

        // Assert: read once, checked, and that copy stored.
        Assert.AreEqual(1, shifty.Enumerations);
        CollectionAssert.AreEquivalent(new Dictionary<string, string> { ["purpose"] = "invoices" }.ToList(), stored.ToList());
    }

    [TestMethod]
    public async Task Metadata_DictionaryWhoseCountUnderstatesItsEntries_IsRefused()
    {
        await using var host = await StartHostAsync();
        var entries = Enumerable.Range(0, 65).Select(i => new KeyValuePair<string, string>($"k{i}", "v")).ToArray();
        var lying = new ShiftyDictionary(entries, entries, count: 1);

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "lying") { Metadata = lying }));
    }

    [TestMethod]
    public async Task RotateAsync_RingExpiringAtTheLastRepresentableTime_RotatesAgainAndAgain()
    {
        // Arrange: before, now + lifetime overflowed (ArgumentOutOfRangeException) and the ring could never rotate.
        await using var host = await StartHostAsync();
        var keys = host.Get<IKeyStore>();
        var ring = "forever-" + Guid.NewGuid().ToString("N");
        var first = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "forever") { RingName = ring, ExpiresAt = DateTimeOffset.MaxValue });

        // Act
        var second = await keys.RotateAsync(ring);
        var third = await keys.RotateAsync(ring);

        // Assert: the lifetime is clamped to the last time every store keeps.
        Assert.AreEqual(3, third.RingVersion);
        Assert.AreEqual(first.ExpiresAt, second.ExpiresAt);
        Assert.AreEqual(first.ExpiresAt, third.ExpiresAt);
        Assert.AreEqual(first.ExpiresAt, (await keys.GetAsync(third.Id))!.ExpiresAt);
        Assert.IsGreaterThan(DateTimeOffset.MaxValue.AddSeconds(-1), third.ExpiresAt!.Value);
    }

    [TestMethod]
    public async Task ImportAsync_RsaExponent3_IsRefusedWithKI1006()
    {
        // Arrange: an RSA-2048 key with e = 3 (the platform cannot make one; the modulus only needs to be odd).
        await using var host = await StartHostAsync();
        using var rsa = RSA.Create(2048);
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(rsa.ExportParameters(false).Modulus);
            writer.WriteIntegerUnsigned(new byte[] { 3 });
        }

        var pkcs1 = writer.Encode();
        var spki = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (spki.PushSequence())
        {
            using (spki.PushSequence())
            {
                spki.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                spki.WriteNull();
            }

            spki.WriteBitString(pkcs1);
        }

        var pem = PemEncoding.WriteString("PUBLIC KEY", spki.Encode());

        // Act
        var error = await Assert.ThrowsExactlyAsync<KeyFormatException>(() => host.Get<IKeyStore>().ImportAsync(ImportKeyRequest.FromPem("e=3", pem)));

        // Assert
        Assert.AreEqual(ErrorCodes.WeakOrUnsupportedRsaKey, error.ErrorCode);
        StringAssert.Contains(error.Message, "65537");
    }

    private Task<TestHost> StartHostAsync() => TestHost.StartAsync(Storage, s_masterKey);

    private static List<WycheproofVector> WycheproofBitcoinVectors()
    {
        using var stream = typeof(SignatureHardeningConformanceTests).Assembly.GetManifestResourceStream("Vectors.ecdsa_secp256k1_sha256_bitcoin_test.json")
            ?? throw new InvalidOperationException("The Wycheproof vector file is not embedded in the test assembly.");
        using var json = JsonDocument.Parse(stream);
        var vectors = new List<WycheproofVector>();
        foreach (var group in json.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            var publicKey = group.GetProperty("publicKeyDer").GetString()!;
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                vectors.Add(new WycheproofVector(
                    test.GetProperty("tcId").GetInt32(),
                    test.GetProperty("comment").GetString()!,
                    test.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray(),
                    publicKey,
                    test.GetProperty("msg").GetString()!,
                    test.GetProperty("sig").GetString()!,
                    test.GetProperty("result").GetString() == "valid"));
            }
        }

        return vectors;
    }

    private static byte[] P1363ToDer(byte[] p1363)
    {
        var half = p1363.Length / 2;
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new System.Numerics.BigInteger(p1363.AsSpan(0, half), isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new System.Numerics.BigInteger(p1363.AsSpan(half), isUnsigned: true, isBigEndian: true));
        }

        return writer.Encode();
    }

    private static byte[] DerToP1363(byte[] der, int fieldBytes)
    {
        var sequence = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var result = new byte[2 * fieldBytes];
        var r = sequence.ReadInteger();
        var s = sequence.ReadInteger();
        r.TryWriteBytes(result.AsSpan(0, fieldBytes)[(fieldBytes - r.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
        s.TryWriteBytes(result.AsSpan(fieldBytes)[(fieldBytes - s.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
        return result;
    }

    private sealed record WycheproofVector(int Id, string Comment, string[] Flags, string PublicKeyDer, string Message, string Signature, bool Valid);

    // A caller's dictionary that answers differently on every enumeration after the first, and may misstate its Count.
    private sealed class ShiftyDictionary(KeyValuePair<string, string>[] first, KeyValuePair<string, string>[] later, int? count = null) : IReadOnlyDictionary<string, string>
    {
        public int Enumerations { get; private set; }

        public int Count => count ?? first.Length;

        public IEnumerable<string> Keys => Current().Select(e => e.Key);

        public IEnumerable<string> Values => Current().Select(e => e.Value);

        public string this[string key] => Current().First(e => e.Key == key).Value;

        public bool ContainsKey(string key) => Current().Any(e => e.Key == key);

        public bool TryGetValue(string key, out string value)
        {
            var found = Current().FirstOrDefault(e => e.Key == key);
            value = found.Value!;
            return found.Key is not null;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)Next()).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private KeyValuePair<string, string>[] Current() => Enumerations <= 1 ? first : later;

        private KeyValuePair<string, string>[] Next() => ++Enumerations == 1 ? first : later;
    }
}
