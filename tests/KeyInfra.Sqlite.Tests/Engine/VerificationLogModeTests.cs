using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Sqlite.Tests.Engine;

[TestClass]
public sealed class VerificationLogModeTests
{
    private static readonly byte[] Document = "log modes"u8.ToArray();

    [TestMethod]
    public async Task Off_VerifiesButRecordsNothing()
    {
        await using var host = await KeyInfraTestHost.StartAsync(options: o => o.VerificationLog.Mode = LogMode.Off);
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "off"));
            var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));

            var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));
            var batch = await host.Get<IVerifier>().VerifyBatchAsync([new VerificationRequest(key.Id, Document, signature.Signature)]);

            Assert.AreEqual(VerificationStatus.Valid, result.Status);
            Assert.IsNull(result.RecordId);
            Assert.IsNull(batch.BatchId);
            Assert.AreEqual(0, (await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery())).Items.Count);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task Buffered_GracefulStop_FlushesEveryRecord()
    {
        var folder = KeyInfraTestHost.NewFolder();
        var masterKey = KeyInfraTestHost.NewMasterKey();
        try
        {
            KeyId id;
            await using (var host = await KeyInfraTestHost.StartAsync(folder, masterKey, o => o.VerificationLog.Mode = LogMode.Buffered))
            {
                id = (await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "buffered"))).Id;
                var signature = await host.Get<ISigner>().SignAsync(new SignRequest(id, Document));
                var verifier = host.Get<IVerifier>();
                await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => verifier.VerifyAsync(new VerificationRequest(id, Document, signature.Signature))));
            }

            await using var reopened = await KeyInfraTestHost.StartAsync(folder, masterKey);
            var records = await reopened.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = id, PageSize = 1000 });
            Assert.AreEqual(500, records.Items.Count);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task Durable_QueryFilters_ByStatusAndTime()
    {
        await using var host = await KeyInfraTestHost.StartAsync();
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "filters"));
            var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
            var verifier = host.Get<IVerifier>();
            var start = DateTimeOffset.UtcNow;
            await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));
            await verifier.VerifyAsync(new VerificationRequest(key.Id, "other"u8.ToArray(), signature.Signature));
            await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, new byte[3]));
            var log = host.Get<IVerificationLog>();

            var invalid = await log.QueryAsync(new VerificationLogQuery { KeyId = key.Id, Status = VerificationStatus.InvalidSignature });
            var malformed = await log.QueryAsync(new VerificationLogQuery { KeyId = key.Id, Status = VerificationStatus.MalformedSignature });
            var fromFuture = await log.QueryAsync(new VerificationLogQuery { KeyId = key.Id, From = DateTimeOffset.UtcNow.AddMinutes(1) });
            var since = await log.QueryAsync(new VerificationLogQuery { KeyId = key.Id, From = start.AddSeconds(-1) });

            Assert.AreEqual(1, invalid.Items.Count);
            Assert.AreEqual(1, malformed.Items.Count);
            Assert.AreEqual(0, fromFuture.Items.Count);
            Assert.AreEqual(3, since.Items.Count);
            Assert.IsTrue(since.Items.Zip(since.Items.Skip(1)).All(p => p.First.Id.CompareTo(p.Second.Id) > 0 || p.First.VerifiedAt >= p.Second.VerifiedAt), "Newest first.");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task Durable_OneBadRecordInAGroup_FailsOnlyItsOwnCaller()
    {
        // A record naming a key that no longer exists (deleted while it was being verified) violates the
        // foreign key; the callers committed in the same group must not pay for it.
        await using var host = await KeyInfraTestHost.StartAsync(options: o => o.VerificationLog.MaxBatchDelay = TimeSpan.FromMilliseconds(50));
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "poison"));
            var doomed = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "doomed"));
            var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
            var doomedSignature = await host.Get<ISigner>().SignAsync(new SignRequest(doomed.Id, Document));
            var verifier = host.Get<IVerifier>();
            var log = host.Get<IVerificationLog>();

            // The doomed key is now in this process's key cache; deleting its rows behind KeyInfra's back (foreign
            // keys off on that connection only) leaves the cache holding a key the database no longer has, so its
            // next record names a missing key, exactly as when a key is deleted while it is being verified.
            Assert.IsTrue((await verifier.VerifyAsync(new VerificationRequest(doomed.Id, Document, doomedSignature.Signature))).IsValid);
            host.ExecuteOnOwnConnection("PRAGMA foreign_keys = OFF; DELETE FROM private_keys WHERE key_id IN (SELECT id FROM public_keys WHERE name = 'doomed'); DELETE FROM public_keys WHERE name = 'doomed';");

            var good = Enumerable.Range(0, 50).Select(_ => verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature))).ToList();
            var bad = verifier.VerifyAsync(new VerificationRequest(doomed.Id, Document, doomedSignature.Signature));

            var results = await Task.WhenAll(good);
            var error = await Assert.ThrowsExactlyAsync<KeyInfra.Errors.VerificationLogException>(() => bad);
            Assert.IsNotNull(error.InnerException);
            Assert.IsTrue(results.All(r => r.Status == VerificationStatus.Valid && r.RecordId is not null));
            var records = await log.QueryAsync(new VerificationLogQuery { KeyId = key.Id, PageSize = 100 });
            Assert.AreEqual(50, records.Items.Count);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task Durable_CommitFails_WaitingCallersGetTheErrorAndTheHostKeepsRunning()
    {
        await using var host = await KeyInfraTestHost.StartAsync();
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "fault"));
            var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
            var verifier = host.Get<IVerifier>();
            var log = host.Get<IVerificationLog>();
            var request = new VerificationRequest(key.Id, Document, signature.Signature);
            Assert.IsTrue((await verifier.VerifyAsync(request)).IsValid);

            // A fault only the database knows about: every insert into the log aborts (root ignores file modes,
            // so a trigger stands in for a read-only file). Made through a connection of its own.
            host.ExecuteOnOwnConnection("CREATE TRIGGER inject_fault BEFORE INSERT ON verification_records BEGIN SELECT RAISE(ABORT, 'injected fault'); END;");

            var failing = Enumerable.Range(0, 20).Select(_ => Task.Run(() => verifier.VerifyAsync(request))).ToList();
            var errors = new List<VerificationLogException>();
            foreach (var call in failing)
            {
                errors.Add(await Assert.ThrowsExactlyAsync<VerificationLogException>(() => call));
            }

            host.ExecuteOnOwnConnection("DROP TRIGGER inject_fault;");
            var after = await verifier.VerifyAsync(request);

            Assert.IsTrue(errors.TrueForAll(e => e.ErrorCode == ErrorCodes.VerificationLogWriteFailed && e.InnerException is not null), "Every waiting caller gets KI3101 with the cause.");
            Assert.IsTrue(errors.TrueForAll(e => e.Message.Contains("may still appear in the log", StringComparison.Ordinal) && e.Message.Contains("a retry records a second outcome", StringComparison.Ordinal)),
                "KI3101 does not promise the record is absent: after a failed flush and a crash it may be on disk.");
            Assert.IsFalse(errors.Exists(e => e.Message.Contains("was not recorded", StringComparison.Ordinal)));
            Assert.AreEqual(VerificationStatus.Valid, after.Status);
            Assert.IsNotNull(after.RecordId);
            var records = await log.QueryAsync(new VerificationLogQuery { KeyId = key.Id, PageSize = 100 });
            Assert.HasCount(2, records.Items, "The record before the fault and the one after it; none of the failed calls.");
            CollectionAssert.Contains(records.Items.Select(r => r.Id).ToList(), after.RecordId.Value);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }
}
