using System.Diagnostics.Metrics;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using KeyInfra.Encryption.Rotation;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// Master key rotation on a real database: a chain of sources that reads old data and writes under the new key, a
/// re-wrap that moves every private key, key row MAC and log digest under the current key (with progress, resumable from
/// its checkpoint), and a retirement that is refused while anything uses the key and makes it unusable as current after.
/// Run by each provider's test project.
/// </summary>
/// <remarks>Every test has a database of its own: each starts from its own master keys.</remarks>
public abstract class MasterKeyRotationConformanceTests
{
    private static readonly byte[] Document = "The quick brown fox jumps over the lazy dog"u8.ToArray();

    /// <summary>The provider's database; each test creates another from it.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task Chain_CurrentFromOneSourcePreviousFromAnother_OldKeysSignAndNewOnesAreWrappedUnderTheCurrent()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var oldKey = TestHost.NewMasterKey();
        var written = await WriteAsync(database, oldKey);
        var newKey = SwitchableMasterKeySource.NewKey();

        // "Read with the environment key, write with the other source."
        await using var host = await TestHost.StartAsync(database, oldKey, services: s => s.AddKeyInfrastructure().UseMasterKeyChain(chain => chain
            .Current(source => source.UseMasterKeySource(_ => new SwitchableMasterKeySource("vault-2", newKey)))
            .Previous(source => source.UseEnvironmentMasterKey())));

        var signature = await host.Get<ISigner>().SignAsync(new SignRequest(written.KeyId, Document));
        Assert.AreEqual(VerificationStatus.Valid, (await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(written.KeyId, Document, signature.Signature))).Status);
        var created = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "under the new key"));
        Assert.AreEqual("vault-2", await database.ScalarAsync<string>("SELECT master_key_id FROM private_keys WHERE key_id = $1", created.Id));
        Assert.AreEqual(written.OldKeyId, await database.ScalarAsync<string>("SELECT master_key_id FROM private_keys WHERE key_id = $1", written.KeyId));
        var status = await host.Get<IMasterKeyRotation>().GetStatusAsync();
        Assert.AreEqual("vault-2", status.CurrentKeyId);
        CollectionAssert.AreEqual(new[] { written.OldKeyId }, status.StillUsedOlderKeys.Select(k => k.Id).ToArray());
    }

    [TestMethod]
    public async Task RewrapAsync_AfterARotation_MovesEverythingUnderTheNewKey_TheOldKeyRetires_AndTheLogStillVerifiesWithoutIt()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var oldKey = TestHost.NewMasterKey();
        var newKey = TestHost.NewMasterKey();
        var written = await WriteAsync(database, oldKey);

        MasterKeyStatus before, after;
        MasterKeyRewrapSummary summary;
        var reported = new List<MasterKeyRewrapProgress>();
        await using (var host = await TestHost.StartAsync(database, newKey, masterKeyOptions: o => o.PreviousMasterKeys = oldKey))
        {
            var rotation = host.Get<IMasterKeyRotation>();
            using var items = new MetricCollector<long>(host.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, KeyInfraInstruments.MasterKeyRewrapItems);
            before = await rotation.GetStatusAsync();
            summary = await rotation.RewrapAsync(progress: new InlineProgress<MasterKeyRewrapProgress>(reported.Add));
            Assert.AreEqual(2L, items.GetMeasurementSnapshot()
                .Where(m => (string?)m.Tags[KeyInfraInstruments.MasterKeyRewrapStepTag] == MasterKeyRewrapSteps.PrivateKeys && (string?)m.Tags[KeyInfraInstruments.MasterKeyRewrapOutcomeTag] == "moved")
                .Sum(m => m.Value));
            after = await rotation.GetStatusAsync();
            await rotation.RetireAsync(written.OldKeyId);
            Assert.IsTrue((await rotation.GetStatusAsync()).Keys.Single(k => k.Id == written.OldKeyId).Retired);
        }

        var old = before.Keys.Single(k => k.Id == written.OldKeyId);
        Assert.AreEqual(2L, old.PrivateKeys);
        Assert.AreEqual(3L, old.KeyRowMacs, "two generated keys and one imported");
        Assert.IsGreaterThanOrEqualTo(3L, old.LogDigests);
        Assert.IsFalse(old.CanRetire);

        Assert.IsTrue(summary.Complete, string.Join("; ", summary.StillUsed.Select(k => $"{k.Id}: {k.DescribeUses()}")));
        Assert.AreEqual(2, summary.PrivateKeys!.Rewrapped);
        Assert.AreEqual(3L, summary.KeyRows!.Reauthenticated);
        Assert.AreEqual(old.LogDigests, summary.OtherSteps.Single(s => s.Step == MasterKeyRewrapSteps.LogDigests).Changed);
        CollectionAssert.AreEqual(
            new[] { MasterKeyRewrapSteps.PrivateKeys, MasterKeyRewrapSteps.KeyRows, MasterKeyRewrapSteps.LogDigests, MasterKeyRewrapSteps.IdentityRows, MasterKeyRewrapSteps.CertificateAuthorityRows, MasterKeyRewrapSteps.CertificateRows },
            reported.Where(p => p.StepFinished).Select(p => p.Step).ToArray(),
            "each step reports its end");
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5, 6 }, reported.Where(p => p.StepFinished).Select(p => p.Checkpoint.FinishedSteps.Count).ToArray(), "with the checkpoint after it");
        Assert.AreEqual(after.CurrentKeyId, summary.Checkpoint.MasterKeyId);
        CollectionAssert.AreEqual(new[] { MasterKeyRewrapSteps.PrivateKeys, MasterKeyRewrapSteps.KeyRows, MasterKeyRewrapSteps.LogDigests, MasterKeyRewrapSteps.IdentityRows, MasterKeyRewrapSteps.CertificateAuthorityRows, MasterKeyRewrapSteps.CertificateRows }, summary.Checkpoint.FinishedSteps.ToArray());
        Assert.AreEqual(0L, after.Keys.Single(k => k.Id == written.OldKeyId).Uses);
        Assert.IsTrue(after.Keys.Single(k => k.Id == written.OldKeyId).CanRetire);

        // The old key is gone from the source: everything still opens, and the log verifies through the re-wrap MACs.
        await using (var only = await TestHost.StartAsync(database, newKey))
        {
            var signature = await only.Get<ISigner>().SignAsync(new SignRequest(written.KeyId, Document));
            Assert.AreEqual(VerificationStatus.Valid, (await only.Get<IVerifier>().VerifyAsync(new VerificationRequest(written.KeyId, Document, signature.Signature))).Status);
            var report = await only.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest { From = written.From, To = DateTimeOffset.UtcNow.AddSeconds(1) });
            Assert.IsTrue(report.IsClean, string.Join(", ", report.BrokenLinks));
            Assert.IsGreaterThanOrEqualTo(old.LogDigests, report.GroupCount);
        }

        // A retired key never becomes the current key again.
        var e = await Assert.ThrowsAsync<MasterKeyException>(async () => await TestHost.StartAsync(database, oldKey, masterKeyOptions: o => o.PreviousMasterKeys = newKey));
        Assert.AreEqual(ErrorCodes.MasterKeyRetired, e.ErrorCode);
    }

    [TestMethod]
    public async Task RetireAsync_KeyStillUsedOrCurrent_IsRefusedListingWhatUsesIt()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var oldKey = TestHost.NewMasterKey();
        var newKey = TestHost.NewMasterKey();
        var written = await WriteAsync(database, oldKey);

        await using (var host = await TestHost.StartAsync(database, newKey, masterKeyOptions: o => o.PreviousMasterKeys = oldKey))
        {
            var rotation = host.Get<IMasterKeyRotation>();

            var used = await Assert.ThrowsAsync<MasterKeyException>(() => rotation.RetireAsync(written.OldKeyId));
            Assert.AreEqual(ErrorCodes.MasterKeyInUse, used.ErrorCode);
            Assert.Contains("2 private keys", used.Message);
            Assert.Contains("3 key row MACs", used.Message);
            Assert.Contains("verification log digest", used.Message);
            var currentId = (await rotation.GetStatusAsync()).CurrentKeyId;
            var current = await Assert.ThrowsAsync<MasterKeyException>(() => rotation.RetireAsync(currentId));
            Assert.AreEqual(ErrorCodes.MasterKeyInUse, current.ErrorCode);
            var unknown = await Assert.ThrowsAsync<MasterKeyException>(() => rotation.RetireAsync("no-such-key"));
            Assert.AreEqual(ErrorCodes.MasterKeyUnavailable, unknown.ErrorCode);
        }

        // Nothing was retired: the old key is still usable as the current key.
        await using var back = await TestHost.StartAsync(database, oldKey, masterKeyOptions: o => o.PreviousMasterKeys = newKey);
        Assert.IsFalse((await back.Get<IMasterKeyRotation>().GetStatusAsync()).Keys.Single(k => k.Id == written.OldKeyId).Retired);
    }

    [TestMethod]
    public async Task RewrapAsync_StoppedAfterAStep_ResumesFromItsCheckpointAndSkipsWhatWasDone()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var oldKey = TestHost.NewMasterKey();
        var newKey = TestHost.NewMasterKey();
        var written = await WriteAsync(database, oldKey);

        await using var host = await TestHost.StartAsync(database, newKey, masterKeyOptions: o => o.PreviousMasterKeys = oldKey);
        var rotation = host.Get<IMasterKeyRotation>();
        MasterKeyRewrapCheckpoint? checkpoint = null;
        using var stop = new CancellationTokenSource();
        var progress = new InlineProgress<MasterKeyRewrapProgress>(p =>
        {
            checkpoint = p.Checkpoint;
            if (p.Step == MasterKeyRewrapSteps.PrivateKeys && p.StepFinished)
            {
                // The crash: right after the first step's end was reported.
                stop.Cancel();
            }
        });
        await Assert.ThrowsAsync<OperationCanceledException>(() => rotation.RewrapAsync(progress: progress, cancellationToken: stop.Token));
        CollectionAssert.AreEqual(new[] { MasterKeyRewrapSteps.PrivateKeys }, checkpoint!.FinishedSteps.ToArray());
        var midway = (await rotation.GetStatusAsync()).Keys.Single(k => k.Id == written.OldKeyId);
        Assert.AreEqual(0L, midway.PrivateKeys);
        Assert.AreEqual(3L, midway.KeyRowMacs);

        var resumed = await rotation.RewrapAsync(new MasterKeyRewrapOptions { ResumeFrom = checkpoint });

        Assert.IsNull(resumed.PrivateKeys, "the finished step is skipped");
        Assert.AreEqual(3L, resumed.KeyRows!.Reauthenticated);
        Assert.IsTrue(resumed.Complete);

        // A checkpoint of another current key is not trusted: every step runs (and finds nothing left to do).
        var other = await rotation.RewrapAsync(new MasterKeyRewrapOptions { ResumeFrom = new MasterKeyRewrapCheckpoint("another-key", [MasterKeyRewrapSteps.PrivateKeys, MasterKeyRewrapSteps.KeyRows, MasterKeyRewrapSteps.LogDigests]) });
        Assert.AreEqual(new ReencryptionSummary(0, 0, 2), other.PrivateKeys);
        Assert.AreEqual(0L, other.OtherSteps.Single(s => s.Step == MasterKeyRewrapSteps.LogDigests).Examined);
    }

    [TestMethod]
    public async Task RewrapAsync_ATamperedDigest_IsNotVouchedFor_AndItsKeyCannotBeRetired()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var oldKey = TestHost.NewMasterKey();
        var newKey = TestHost.NewMasterKey();
        var written = await WriteAsync(database, oldKey);
        Assert.AreEqual(1, await database.TamperAsync(
            "UPDATE verification_log_digests SET entry_count = entry_count + 1 WHERE sequence = (SELECT MAX(sequence) FROM verification_log_digests)"));

        await using var host = await TestHost.StartAsync(database, newKey, masterKeyOptions: o => o.PreviousMasterKeys = oldKey);
        var rotation = host.Get<IMasterKeyRotation>();
        var summary = await rotation.RewrapAsync();

        var log = summary.OtherSteps.Single(s => s.Step == MasterKeyRewrapSteps.LogDigests);
        Assert.AreEqual(1L, log.Failed);
        Assert.IsFalse(summary.Complete);
        CollectionAssert.DoesNotContain(summary.Checkpoint.FinishedSteps.ToArray(), MasterKeyRewrapSteps.LogDigests, "a resumed run does the step that left something behind again");
        CollectionAssert.Contains(summary.Checkpoint.FinishedSteps.ToArray(), MasterKeyRewrapSteps.KeyRows);
        Assert.AreEqual(1L, summary.StillUsed.Single(k => k.Id == written.OldKeyId).LogDigests);
        var e = await Assert.ThrowsAsync<MasterKeyException>(() => rotation.RetireAsync(written.OldKeyId));
        Assert.Contains("1 verification log digest", e.Message);
        Assert.IsNull(await database.ScalarAsync<string?>(
            "SELECT rewrap_master_key_id FROM verification_log_digests WHERE sequence = (SELECT MAX(sequence) FROM verification_log_digests)"));
    }

    [TestMethod]
    public async Task RetireAsync_AKeyTheDatabaseNeverSaw_ThenTheCurrentCheckDeleted_TheDatabaseStaysStrict()
    {
        // A previous key that never wrapped anything here is retired (its first check is written by the retirement); then
        // a database writer deletes the current key's check, so the next start inherits the state from the checks left.
        await using var database = await Storage.CreateAnotherAsync();
        var (current, unseen) = (TestHost.NewMasterKey(), TestHost.NewMasterKey());
        string currentId;
        await using (var host = await TestHost.StartAsync(database, current, masterKeyOptions: o => o.PreviousMasterKeys = unseen))
        {
            var rotation = host.Get<IMasterKeyRotation>();
            var status = await rotation.GetStatusAsync();
            Assert.IsTrue(status.RowsStrict);
            currentId = status.CurrentKeyId;
            await rotation.RetireAsync(status.Keys.Single(k => !k.IsCurrent).Id);
        }

        Assert.AreEqual(1, await database.TamperAsync("DELETE FROM master_keys WHERE id = $1", currentId));

        await using var restarted = await TestHost.StartAsync(database, current, masterKeyOptions: o => o.PreviousMasterKeys = unseen);
        Assert.IsTrue((await restarted.Get<IMasterKeyRotation>().GetStatusAsync()).RowsStrict, "a retired check never makes the database migrating");
    }

    [TestMethod]
    public async Task RetireAsync_ADigestWhoseRewrapWasForgedToClaimTheCurrentKey_IsRefused()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var (oldKey, newKey) = (TestHost.NewMasterKey(), TestHost.NewMasterKey());
        var written = await WriteAsync(database, oldKey);
        await using var host = await TestHost.StartAsync(database, newKey, masterKeyOptions: o => o.PreviousMasterKeys = oldKey);
        var rotation = host.Get<IMasterKeyRotation>();
        Assert.IsTrue((await rotation.RewrapAsync()).Complete);

        // The writer replaces one digest's re-wrap MAC: the counts still say "moved", the MAC does not.
        Assert.AreEqual(1, await database.TamperAsync(
            "UPDATE verification_log_digests SET rewrap_mac = $1 WHERE digest = (SELECT digest FROM verification_log_digests WHERE rewrap_mac IS NOT NULL ORDER BY committed_at, sequence LIMIT 1)", new byte[32]));
        Assert.AreEqual(0L, (await rotation.GetStatusAsync()).Keys.Single(k => k.Id == written.OldKeyId).Uses);

        var e = await Assert.ThrowsAsync<MasterKeyException>(() => rotation.RetireAsync(written.OldKeyId));

        Assert.AreEqual(ErrorCodes.MasterKeyInUse, e.ErrorCode);
        Assert.Contains("1 verification log digest(s) or checkpoint(s)", e.Message);
        Assert.IsFalse((await rotation.GetStatusAsync()).Keys.Single(k => k.Id == written.OldKeyId).Retired);
    }

    [TestMethod]
    public async Task SetDigestRewrapAsync_ByAWriterWithoutTheMasterKey_IsABreakLogVerifyReports()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var key = TestHost.NewMasterKey();
        var written = await WriteAsync(database, key);
        await using var host = await TestHost.StartAsync(database, key);
        var digest = (await host.Get<IVerificationLogRepository>().ListDigestsAsync(LogDigestSelection.NotUnder, "another-key").ToListAsync()).First(d => !d.IsCheckpoint);

        // The application's own path (on PostgreSQL its only way to change a digest): a forged MAC under a made-up key id.
        Assert.IsTrue(await host.Get<IVerificationLogRepository>().SetDigestRewrapAsync(digest, "forged", new byte[32]));
        var report = await host.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest { From = written.From, To = DateTimeOffset.UtcNow.AddSeconds(1) });
        Assert.IsTrue(report.IsClean, "a re-wrap under a key the ring lacks proves nothing, and the original digest still verifies");

        // Once it claims a key the ring has, a forged MAC is a break, even though the original digest is still right.
        var currentId = (await host.Get<IMasterKeyRotation>().GetStatusAsync()).CurrentKeyId;
        var stored = (await host.Get<IVerificationLogRepository>().ReadDigestAsync(digest.Digest.TenantId, digest.Digest.ChainId, digest.Digest.Sequence))!;
        Assert.IsTrue(await host.Get<IVerificationLogRepository>().SetDigestRewrapAsync(new StoredLogDigest(stored, false), currentId, new byte[32]));
        report = await host.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest { From = written.From, To = DateTimeOffset.UtcNow.AddSeconds(1) });
        CollectionAssert.Contains(report.BrokenLinks.ToArray(), new LogChainBreak(digest.Digest.ChainId, digest.Digest.TenantId, digest.Digest.Sequence, LogChainBreakKind.DigestInvalid));
    }

    [TestMethod]
    public async Task RewrapAsync_PlaintextKeysAnOlderVersionLeft_AreEncryptedWithProgressOnlyWhenToldTo_AndTheDatabaseBecomesStrict()
    {
        // Arrange: public keys imported, each private key stored beside it in plaintext, on a migrating database.
        await using var database = await Storage.CreateAnotherAsync();
        var masterKey = TestHost.NewMasterKey();
        var originals = new List<(KeyId Id, byte[] Spki)>();
        await using (var host = await TestHost.StartAsync(database, masterKey))
        {
            for (var i = 0; i < 150; i++)
            {
                using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
                var spki = key.ExportSubjectPublicKeyInfo();
                var imported = await host.Get<IKeyStore>().ImportAsync(new ImportKeyRequest($"legacy {i}", spki, KeyFormat.Der));
                Assert.AreEqual(1, await database.ExecuteAsync(
                    "INSERT INTO private_keys (key_id, tenant_id, backend, protection, key_material, master_key_id, created_at, updated_at) " +
                    "SELECT id, tenant_id, 'software', 'none', $2, NULL, created_at, created_at FROM public_keys WHERE id = $1",
                    imported.Id, key.ExportPkcs8PrivateKey()));
                originals.Add((imported.Id, spki));
            }
        }

        await database.AsAnOlderReleaseLeftItAsync(masterKey);

        // Act
        MasterKeyRewrapSummary refused, migrated;
        var reported = new List<MasterKeyRewrapProgress>();
        await using (var host = await TestHost.StartAsync(database, masterKey))
        {
            var rotation = host.Get<IMasterKeyRotation>();
            refused = await rotation.RewrapAsync();
            migrated = await rotation.RewrapAsync(new MasterKeyRewrapOptions { UnsafeReadPlaintextPrivateKeys = true }, new InlineProgress<MasterKeyRewrapProgress>(reported.Add));
        }

        // Assert
        Assert.HasCount(150, refused.PrivateKeys!.Skipped);
        Assert.IsTrue(refused.PrivateKeys.Skipped.All(s => s.ErrorCode == ErrorCodes.PlaintextPrivateKeyRefused));
        CollectionAssert.DoesNotContain(refused.Checkpoint.FinishedSteps.ToArray(), MasterKeyRewrapSteps.PrivateKeys, "a step that left keys behind is not done");
        Assert.AreEqual(150, migrated.PrivateKeys!.Encrypted);
        Assert.IsTrue(migrated.KeyRows!.Strict);
        Assert.IsTrue(migrated.Complete);
        CollectionAssert.IsSubsetOf(new[] { 100L }, reported.Where(p => p.Step == MasterKeyRewrapSteps.PrivateKeys && !p.StepFinished).Select(p => p.Examined).ToArray());
        Assert.AreEqual(0L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM private_keys WHERE protection <> 'envelope'"));

        // Each key now signs with the private key it had, and verifies against the public key it was imported with.
        await using var after = await TestHost.StartAsync(database, masterKey);
        foreach (var (id, spki) in originals.Where((_, i) => i % 50 == 0))
        {
            var signature = await after.Get<ISigner>().SignAsync(new SignRequest(id, Document));
            using var verifier = System.Security.Cryptography.ECDsa.Create();
            verifier.ImportSubjectPublicKeyInfo(spki, out _);
            Assert.IsTrue(verifier.VerifyData(Document, signature.Signature, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }
    }

    /// <summary>
    /// Under <paramref name="masterKey"/>: two generated keys (one signs), one imported public key, and three verifications
    /// (each a group of the log). Returns the key that signs, the master key's id and when writing began.
    /// </summary>
    private static async Task<Written> WriteAsync(ConformanceStorage database, string masterKey)
    {
        var from = DateTimeOffset.UtcNow;

        // Each group sealed on its own, so the old key made several digests for the re-wrap to move.
        await using var host = await TestHost.StartAsync(database, masterKey, o => o.VerificationLog.SealInterval = TimeSpan.Zero);
        var keys = host.Get<IKeyStore>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "rotation"));
        await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "rotation 2"));
        using (var outside = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            await keys.ImportAsync(new ImportKeyRequest("public only", outside.ExportSubjectPublicKeyInfo(), KeyFormat.Der));
        }

        var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
        for (var i = 0; i < 3; i++)
        {
            await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, i == 1 ? "forged"u8.ToArray() : Document, signature));
        }

        var status = await host.Get<IMasterKeyRotation>().GetStatusAsync();
        return new Written(key.Id, status.CurrentKeyId, from);
    }

    private sealed record Written(KeyId KeyId, string OldKeyId, DateTimeOffset From);

    // Progress<T> posts to the thread pool; these tests read the reports right after the call.
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
