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
}
