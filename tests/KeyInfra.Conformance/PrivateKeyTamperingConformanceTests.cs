using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// Attacks on stored private keys by a database writer who does not have the master key, run against each provider's
/// real database: plant a plaintext private key of their own with its public key, swap the public key (or the spec) of
/// an encrypted key, and have <c>reencrypt</c> make either look legitimate. Each is refused: KeyInfra never signs with a
/// key it did not create.
/// </summary>
/// <remarks>
/// <para>
/// On a database whose key rows are authenticated (every database this release creates) each of these changes already
/// fails the row's MAC (<c>KeyRowTamperingConformanceTests</c>). These tests run where the row MAC cannot help: a
/// database an older release left behind and whose authentication pass has not run yet (a v1 check value, rows without
/// a MAC), so they show that the private key's own protections refuse the attack there too.
/// </para>
/// <para>
/// The attacker writes through <see cref="ConformanceStorage.ExecuteAsync"/> (a privileged connection, past row-level
/// security). Every signing attempt runs in a host started after the tampering, so no cached key hides the outcome.
/// </para>
/// </remarks>
public abstract class PrivateKeyTamperingConformanceTests
{
    private static readonly byte[] Document = "pay 1,000,000 to the attacker"u8.ToArray();

    // One master key for every host of the suite on the shared database.
    private static readonly string s_masterKey = TestHost.NewMasterKey();

    /// <summary>The provider's database, shared by the tests of the class.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task SignAsync_PlaintextPrivateKeyPlantedWithItsPublicKey_IsRefused()
    {
        var victim = await CreateKeyAsync(Storage, s_masterKey, KeySpec.EcdsaP256);
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await PlantPublicKeyAsync(Storage, s_masterKey, victim, attacker.ExportSubjectPublicKeyInfo());
        await Storage.ExecuteAsync(
            "UPDATE private_keys SET protection = 'none', key_material = $2, master_key_id = NULL WHERE key_id = $1",
            victim, attacker.ExportPkcs8PrivateKey());

        await Storage.AsAnOlderReleaseLeftItAsync(s_masterKey);
        await using var host = await TestHost.StartAsync(Storage, s_masterKey);
        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(() => host.Get<ISigner>().SignAsync(new SignRequest(victim, Document)));

        Assert.AreEqual(ErrorCodes.PlaintextPrivateKeyRefused, e.ErrorCode);
        Assert.Contains(victim.ToString(), e.Message);
    }

    [TestMethod]
    public async Task SignAsync_PublicKeyOfAnEncryptedKeySwapped_IsRefused()
    {
        var victim = await CreateKeyAsync(Storage, s_masterKey, KeySpec.EcdsaP256);
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await PlantPublicKeyAsync(Storage, s_masterKey, victim, attacker.ExportSubjectPublicKeyInfo());

        await Storage.AsAnOlderReleaseLeftItAsync(s_masterKey);
        await using var host = await TestHost.StartAsync(Storage, s_masterKey);
        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(() => host.Get<ISigner>().SignAsync(new SignRequest(victim, Document)));

        // Envelope v2 binds the public key: the ciphertext no longer authenticates.
        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    public async Task SignAsync_SpecAndPublicKeyOfAnEncryptedKeySwapped_IsRefused()
    {
        var victim = await CreateKeyAsync(Storage, s_masterKey, KeySpec.EcdsaP256);
        var other = await CreateKeyAsync(Storage, s_masterKey, KeySpec.EcdsaSecp256k1);
        await Storage.ExecuteAsync(
            "UPDATE public_keys SET algorithm_id = (SELECT algorithm_id FROM public_keys WHERE id = $2), curve_id = (SELECT curve_id FROM public_keys WHERE id = $2), " +
            "key_size_bits = (SELECT key_size_bits FROM public_keys WHERE id = $2), key_data = (SELECT key_data FROM public_keys WHERE id = $2), " +
            "spki_sha256 = (SELECT spki_sha256 FROM public_keys WHERE id = $2), jwk_thumbprint = (SELECT jwk_thumbprint FROM public_keys WHERE id = $2) WHERE id = $1",
            victim, other);

        await Storage.AsAnOlderReleaseLeftItAsync(s_masterKey);
        await using var host = await TestHost.StartAsync(Storage, s_masterKey);
        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(() => host.Get<ISigner>().SignAsync(new SignRequest(victim, Document)));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    public async Task SignAsync_PrivateKeyOfAnotherKeyCopiedWithItsPublicKey_IsRefused()
    {
        // The whole private key row and the public key of key B copied into key A: the ciphertext is bound to B's row.
        var victim = await CreateKeyAsync(Storage, s_masterKey, KeySpec.Ed25519);
        var donor = await CreateKeyAsync(Storage, s_masterKey, KeySpec.Ed25519);
        await Storage.ExecuteAsync(
            "UPDATE private_keys SET key_material = (SELECT key_material FROM private_keys WHERE key_id = $2) WHERE key_id = $1", victim, donor);
        await Storage.ExecuteAsync(
            "UPDATE public_keys SET key_data = (SELECT key_data FROM public_keys WHERE id = $2), spki_sha256 = (SELECT spki_sha256 FROM public_keys WHERE id = $2), " +
            "jwk_thumbprint = (SELECT jwk_thumbprint FROM public_keys WHERE id = $2) WHERE id = $1", victim, donor);

        await Storage.AsAnOlderReleaseLeftItAsync(s_masterKey);
        await using var host = await TestHost.StartAsync(Storage, s_masterKey);
        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(() => host.Get<ISigner>().SignAsync(new SignRequest(victim, Document)));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    public async Task SignAsync_Version1PrivateKeyWithItsPublicKeySwapped_IsRefusedByThePublicKeyCheck()
    {
        // A v1 ciphertext (written before v2) binds no public key; the check of the decrypted key against the row catches it.
        var victim = await CreateKeyAsync(Storage, s_masterKey, KeySpec.EcdsaP256);
        using var legitimate = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await WriteVersion1PrivateKeyAsync(Storage, s_masterKey, victim, legitimate.ExportPkcs8PrivateKey());
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await PlantPublicKeyAsync(Storage, s_masterKey, victim, attacker.ExportSubjectPublicKeyInfo());

        await Storage.AsAnOlderReleaseLeftItAsync(s_masterKey);
        await using var host = await TestHost.StartAsync(Storage, s_masterKey);
        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(() => host.Get<ISigner>().SignAsync(new SignRequest(victim, Document)));

        Assert.AreEqual(ErrorCodes.PrivateKeyPublicKeyMismatch, e.ErrorCode);
    }

    [TestMethod]
    public async Task SignAsync_Version1PrivateKeyOfItsOwnPublicKey_Signs()
    {
        var victim = await CreateKeyAsync(Storage, s_masterKey, KeySpec.EcdsaP256);
        using var legitimate = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await WriteVersion1PrivateKeyAsync(Storage, s_masterKey, victim, legitimate.ExportPkcs8PrivateKey());
        await PlantPublicKeyAsync(Storage, s_masterKey, victim, legitimate.ExportSubjectPublicKeyInfo());

        await Storage.AsAnOlderReleaseLeftItAsync(s_masterKey);
        await using var host = await TestHost.StartAsync(Storage, s_masterKey);
        var signature = await host.Get<ISigner>().SignAsync(new SignRequest(victim, Document));

        Assert.IsTrue(legitimate.VerifyData(Document, signature.Signature, HashAlgorithmName.SHA256));
    }

    [TestMethod]
    public async Task ReencryptAllAsync_PlantedPlaintextAndSwappedKeys_SkipsAndReportsThemAndEncryptsNothing()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var masterKey = TestHost.NewMasterKey();
        var honest = await CreateKeyAsync(database, masterKey, KeySpec.EcdsaP384);
        var planted = await CreateKeyAsync(database, masterKey, KeySpec.EcdsaP256);
        var swapped = await CreateKeyAsync(database, masterKey, KeySpec.EcdsaP256);
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await PlantPublicKeyAsync(database, masterKey, planted, attacker.ExportSubjectPublicKeyInfo());
        await database.ExecuteAsync("UPDATE private_keys SET protection = 'none', key_material = $2, master_key_id = NULL WHERE key_id = $1", planted, attacker.ExportPkcs8PrivateKey());
        await PlantPublicKeyAsync(database, masterKey, swapped, attacker.ExportSubjectPublicKeyInfo());

        // A rotation: the honest key is re-wrapped, the swapped one fails its binding, the planted one is not read.
        var newKey = TestHost.NewMasterKey();
        ReencryptionSummary summary;
        await database.AsAnOlderReleaseLeftItAsync(masterKey);
        await using (var host = await TestHost.StartAsync(database, newKey, masterKeyOptions: o => o.PreviousMasterKeys = masterKey))
        {
            summary = await host.Get<IPrivateKeyReencryptor>().ReencryptAllAsync();
        }

        Assert.AreEqual(1, summary.Rewrapped);
        Assert.AreEqual(0, summary.Encrypted);
        var skipped = summary.Skipped.ToDictionary(s => s.KeyId);
        Assert.HasCount(2, skipped);
        Assert.AreEqual(ErrorCodes.PlaintextPrivateKeyRefused, skipped[planted].ErrorCode);
        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, skipped[swapped].ErrorCode);
        Assert.AreEqual("none", await database.ScalarAsync<string>("SELECT protection FROM private_keys WHERE key_id = $1", planted));
        Assert.AreEqual(newKeyId(newKey), await database.ScalarAsync<string>("SELECT master_key_id FROM private_keys WHERE key_id = $1", honest));

        static string newKeyId(string key) => MasterKey.Fingerprint(Convert.FromBase64String(key));
    }

    [TestMethod]
    public async Task ReencryptAllAsync_UnsafePlaintextOptionOnAPlantedKeyWithAnotherPublicKey_StillRefusesIt()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var masterKey = TestHost.NewMasterKey();
        var victim = await CreateKeyAsync(database, masterKey, KeySpec.EcdsaP256);
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await database.ExecuteAsync("UPDATE private_keys SET protection = 'none', key_material = $2, master_key_id = NULL WHERE key_id = $1", victim, attacker.ExportPkcs8PrivateKey());

        ReencryptionSummary summary;
        await database.AsAnOlderReleaseLeftItAsync(masterKey);
        await using (var host = await TestHost.StartAsync(database, masterKey))
        {
            summary = await host.Get<IPrivateKeyReencryptor>().ReencryptAllAsync(new ReencryptionOptions { UnsafeReadPlaintextPrivateKeys = true });
        }

        Assert.AreEqual(0, summary.Encrypted);
        Assert.AreEqual(ErrorCodes.PrivateKeyPublicKeyMismatch, summary.Skipped.Single().ErrorCode);
        Assert.AreEqual("none", await database.ScalarAsync<string>("SELECT protection FROM private_keys WHERE key_id = $1", victim));
    }

    [TestMethod]
    public async Task ReencryptAllAsync_Version1PrivateKey_UpgradedToVersion2AndStillSigns()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var masterKey = TestHost.NewMasterKey();
        var key = await CreateKeyAsync(database, masterKey, KeySpec.EcdsaP256);
        using var legitimate = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await WriteVersion1PrivateKeyAsync(database, masterKey, key, legitimate.ExportPkcs8PrivateKey());
        await PlantPublicKeyAsync(database, masterKey, key, legitimate.ExportSubjectPublicKeyInfo());

        ReencryptionSummary summary, again;
        await database.AsAnOlderReleaseLeftItAsync(masterKey);
        await using (var host = await TestHost.StartAsync(database, masterKey))
        {
            summary = await host.Get<IPrivateKeyReencryptor>().ReencryptAllAsync();
            again = await host.Get<IPrivateKeyReencryptor>().ReencryptAllAsync();
        }

        var material = await database.ScalarAsync<byte[]>("SELECT key_material FROM private_keys WHERE key_id = $1", key);
        await using var after = await TestHost.StartAsync(database, masterKey);
        var signature = await after.Get<ISigner>().SignAsync(new SignRequest(key, Document));

        Assert.AreEqual(1, summary.Upgraded);
        Assert.IsEmpty(summary.Skipped);
        Assert.AreEqual(new ReencryptionSummary(Encrypted: 0, Rewrapped: 0, Unchanged: 1), again);
        Assert.AreEqual(0x02, material[0]);
        Assert.IsTrue(legitimate.VerifyData(Document, signature.Signature, HashAlgorithmName.SHA256));
    }

    private static async Task<KeyId> CreateKeyAsync(ConformanceStorage storage, string masterKey, KeySpec spec)
    {
        await using var host = await TestHost.StartAsync(storage, masterKey);
        return (await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(spec, $"tamper {spec.Name}"))).Id;
    }

    /// <summary>
    /// The attacker's public key put into a key row, with its SPKI hash and JWK thumbprint made consistent, as a careful
    /// writer would: the column values are taken from a verification-only key imported for the purpose and then deleted.
    /// </summary>
    private static async Task PlantPublicKeyAsync(ConformanceStorage storage, string masterKey, KeyId target, byte[] spki)
    {
        await using var host = await TestHost.StartAsync(storage, masterKey);
        var keys = host.Get<IKeyStore>();
        var carrier = await keys.ImportAsync(new ImportKeyRequest($"carrier {Guid.NewGuid():N}", spki, KeyFormat.Der));
        await storage.ExecuteAsync(
            "UPDATE public_keys SET key_data = (SELECT key_data FROM public_keys WHERE id = $2), key_format = 'der', " +
            "spki_sha256 = (SELECT spki_sha256 FROM public_keys WHERE id = $2), jwk_thumbprint = (SELECT jwk_thumbprint FROM public_keys WHERE id = $2) WHERE id = $1",
            target, carrier.Id);
        await keys.DeleteAsync(carrier.Id);
    }

    /// <summary>
    /// Writes a private key as a version before envelope v2 would have: format v1 (docs/security/envelope.md), its data
    /// key wrapped under the master key itself, bound to the row but not to the public key. Sealed here, independently.
    /// </summary>
    private static async Task WriteVersion1PrivateKeyAsync(ConformanceStorage storage, string masterKey, KeyId key, byte[] pkcs8)
    {
        var master = Convert.FromBase64String(masterKey);
        var id = MasterKey.Fingerprint(master);
        var tenant = await storage.ScalarAsync<Guid>("SELECT tenant_id FROM private_keys WHERE key_id = $1", key);
        var ciphertext = SealVersion1(master, id, tenant, key.Value, pkcs8);
        await storage.ExecuteAsync("UPDATE private_keys SET protection = 'envelope', key_material = $2, master_key_id = $3 WHERE key_id = $1", key, ciphertext, id);
    }

    private static byte[] SealVersion1(byte[] masterKey, string masterKeyId, Guid tenant, Guid row, byte[] plaintext)
    {
        var idBytes = Encoding.ASCII.GetBytes(masterKeyId);
        var table = "private_keys"u8.ToArray();
        var column = "key_material"u8.ToArray();
        var context = new byte[16 + 2 + table.Length + 2 + column.Length + 16];
        tenant.TryWriteBytes(context.AsSpan(0, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt16BigEndian(context.AsSpan(16), (ushort)table.Length);
        table.CopyTo(context, 18);
        BinaryPrimitives.WriteUInt16BigEndian(context.AsSpan(18 + table.Length), (ushort)column.Length);
        column.CopyTo(context, 20 + table.Length);
        row.TryWriteBytes(context.AsSpan(20 + table.Length + column.Length), bigEndian: true, out _);

        var l = idBytes.Length;
        var output = new byte[90 + l + plaintext.Length];
        output[0] = 0x01;
        output[1] = (byte)l;
        idBytes.CopyTo(output, 2);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        RandomNumberGenerator.Fill(output.AsSpan(2 + l, 12));
        RandomNumberGenerator.Fill(output.AsSpan(62 + l, 12));
        byte[] wrapAad = [.. "KeyInfra/v1/dek"u8, 0x01, (byte)l, .. idBytes, .. context];
        byte[] dataAad = [.. "KeyInfra/v1/data"u8, 0x01, .. context];
        using (var wrap = new AesGcm(masterKey, 16))
        {
            wrap.Encrypt(output.AsSpan(2 + l, 12), dataKey, output.AsSpan(14 + l, 32), output.AsSpan(46 + l, 16), wrapAad);
        }

        using (var data = new AesGcm(dataKey, 16))
        {
            data.Encrypt(output.AsSpan(62 + l, 12), plaintext, output.AsSpan(90 + l), output.AsSpan(74 + l, 16), dataAad);
        }

        return output;
    }
}
