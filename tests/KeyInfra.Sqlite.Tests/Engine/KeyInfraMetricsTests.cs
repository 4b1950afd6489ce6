using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>The KeyInfra meter, read with <see cref="MetricCollector{T}"/> scoped to one host's meter factory.</summary>
[TestClass]
public sealed class KeyInfraMetricsTests
{
    private static readonly byte[] Document = "metrics"u8.ToArray();
    private static KeyInfraTestHost s_host = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_host = await KeyInfraTestHost.StartAsync();

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        await s_host.DisposeAsync();
        KeyInfraTestHost.DeleteFolder(s_host.Folder);
    }

    [TestMethod]
    public async Task VerifyAsync_ValidThenInvalid_CountsEachByResultAndAlgorithm()
    {
        var (key, signature) = await CreateAndSignAsync(KeySpec.EcdsaP256);
        using var verifications = Collect<long>(s_host, KeyInfraInstruments.Verifications);
        using var durations = Collect<double>(s_host, KeyInfraInstruments.VerificationDuration);
        var tampered = (byte[])Document.Clone();
        tampered[0] ^= 1;

        await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature));
        await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, tampered, signature));

        var measurements = verifications.GetMeasurementSnapshot();
        Assert.AreEqual(2, measurements.Count);
        Assert.AreEqual(1, measurements[0].Value);
        Assert.AreEqual("valid", measurements[0].Tags[KeyInfraInstruments.VerificationResultTag]);
        Assert.AreEqual("ecdsa-p256", measurements[0].Tags[KeyInfraInstruments.KeyAlgorithmTag]);
        Assert.AreEqual("invalid_signature", measurements[1].Tags[KeyInfraInstruments.VerificationResultTag]);
        Assert.AreEqual("ecdsa-p256", measurements[1].Tags[KeyInfraInstruments.KeyAlgorithmTag]);
        var timings = durations.GetMeasurementSnapshot();
        Assert.AreEqual(2, timings.Count);
        Assert.IsTrue(timings.All(m => m.Value > 0));
        Assert.AreEqual("invalid_signature", timings[1].Tags[KeyInfraInstruments.VerificationResultTag]);
    }

    [TestMethod]
    public async Task VerifyAsync_UnknownKey_CountedWithoutAlgorithm()
    {
        using var verifications = Collect<long>(s_host, KeyInfraInstruments.Verifications);

        await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(KeyId.New(), Document, new byte[64]));

        var measurement = verifications.LastMeasurement!;
        Assert.AreEqual("key_not_found", measurement.Tags[KeyInfraInstruments.VerificationResultTag]);
        Assert.IsFalse(measurement.Tags.ContainsKey(KeyInfraInstruments.KeyAlgorithmTag));
    }

    [TestMethod]
    public async Task VerifyBatchAsync_TwoItems_CountsEachItem()
    {
        var (key, signature) = await CreateAndSignAsync(KeySpec.Ed25519);
        using var verifications = Collect<long>(s_host, KeyInfraInstruments.Verifications);

        await s_host.Get<IVerifier>().VerifyBatchAsync([new VerificationRequest(key.Id, Document, signature), new VerificationRequest(key.Id, Document, new byte[64])]);

        var results = verifications.GetMeasurementSnapshot().Select(m => (string)m.Tags[KeyInfraInstruments.VerificationResultTag]!).Order().ToArray();
        CollectionAssert.AreEqual(new[] { "invalid_signature", "valid" }, results);
    }

    [TestMethod]
    public async Task VerifyAsync_SameKeyTwice_MissAndLoadThenHit()
    {
        var (key, signature) = await CreateAndSignAsync(KeySpec.Ed25519);

        // Signing read the key's public entry into the cache verification uses (it authorizes and checks the key's
        // status there before it reads the private key): drop it, so the first verification is a miss.
        s_host.Get<IKeyCacheInvalidator>().Invalidate(key.TenantId, key.Id);
        using var hits = Collect<long>(s_host, KeyInfraInstruments.KeyCacheHits);
        using var misses = Collect<long>(s_host, KeyInfraInstruments.KeyCacheMisses);
        using var loads = Collect<long>(s_host, KeyInfraInstruments.KeyCacheLoads);

        await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature));
        Assert.AreEqual(0, Count(hits, KeyInfraInstruments.PublicKeyCache));
        await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature));

        Assert.AreEqual(1, Count(misses, KeyInfraInstruments.PublicKeyCache));
        Assert.AreEqual(1, Count(loads, KeyInfraInstruments.PublicKeyCache));
        Assert.AreEqual(1, Count(hits, KeyInfraInstruments.PublicKeyCache));
        Assert.AreEqual(0, Count(hits, KeyInfraInstruments.SigningKeyCache));
    }

    [TestMethod]
    public async Task SignAsync_SameKeyTwice_SigningCacheMissThenHitAndTwoSuccesses()
    {
        var key = await s_host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Rsa2048, "metrics"));
        using var hits = Collect<long>(s_host, KeyInfraInstruments.KeyCacheHits);
        using var misses = Collect<long>(s_host, KeyInfraInstruments.KeyCacheMisses);
        using var signatures = Collect<long>(s_host, KeyInfraInstruments.Signatures);

        await s_host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
        await s_host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));

        Assert.AreEqual(1, Count(misses, KeyInfraInstruments.SigningKeyCache));
        Assert.AreEqual(1, Count(hits, KeyInfraInstruments.SigningKeyCache));
        var signed = signatures.GetMeasurementSnapshot();
        Assert.AreEqual(2, signed.Count);
        Assert.IsTrue(signed.All(m => (string?)m.Tags[KeyInfraInstruments.SignatureOutcomeTag] == "success"
            && (string?)m.Tags[KeyInfraInstruments.KeyAlgorithmTag] == "rsa-2048"));
    }

    [TestMethod]
    public async Task SignAsync_UnknownKey_FailureWithErrorCode()
    {
        using var signatures = Collect<long>(s_host, KeyInfraInstruments.Signatures);

        await Assert.ThrowsExactlyAsync<UnknownKeyException>(() => s_host.Get<ISigner>().SignAsync(new SignRequest(KeyId.New(), Document)));

        var measurement = signatures.LastMeasurement!;
        Assert.AreEqual("failure", measurement.Tags[KeyInfraInstruments.SignatureOutcomeTag]);
        Assert.AreEqual(ErrorCodes.KeyNotFound, measurement.Tags[KeyInfraInstruments.ErrorTypeTag]);
    }

    [TestMethod]
    public async Task VerifyAsync_Durable_CommitRecordsBatchSizeAndDuration()
    {
        var (key, signature) = await CreateAndSignAsync(KeySpec.EcdsaP384);

        // The signature's data-plane audit record is Buffered: committed before the measuring starts, not during it.
        await s_host.Get<IVerificationLog>().FlushAsync();
        using var sizes = Collect<int>(s_host, KeyInfraInstruments.VerificationLogCommitBatchSize);
        using var durations = Collect<double>(s_host, KeyInfraInstruments.VerificationLogCommitDuration);

        // Durable: the call returns once its record's commit is done, so the commit is measured by then.
        await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature));

        var size = sizes.GetMeasurementSnapshot().Single();
        Assert.AreEqual(1, size.Value);
        Assert.IsFalse(size.Tags.ContainsKey(KeyInfraInstruments.ErrorTypeTag));
        Assert.IsTrue(durations.GetMeasurementSnapshot().Single().Value > 0);
    }

    [TestMethod]
    public async Task QueueLength_CommitHeld_ReadsTheWaitingRecords()
    {
        // The audit logs off: their records would take the gated first commit (a key's creation waits for its own).
        await using var host = await KeyInfraTestHost.StartAsync(
            options: o =>
            {
                o.VerificationLog.Mode = LogMode.Buffered;
                o.Audit.ControlPlane = LogMode.Off;
                o.Audit.DataPlane = LogMode.Off;
            },
            services: GatedLogRepository.Install);
        try
        {
            var gate = host.Get<GatedLogRepository>();
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "queue"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            using var queue = Collect<int>(host, KeyInfraInstruments.VerificationLogQueueLength);
            var verifier = host.Get<IVerifier>();
            await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));
            await gate.Entered;

            // The writer holds the first record in its commit; these three wait in the queue.
            for (var i = 0; i < 3; i++)
            {
                await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));
            }

            queue.RecordObservableInstruments();
            Assert.AreEqual(3, queue.LastMeasurement!.Value);

            gate.Open();
            await host.Get<IVerificationLog>().FlushAsync();
            queue.RecordObservableInstruments();
            Assert.AreEqual(0, queue.LastMeasurement!.Value);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    private static MetricCollector<T> Collect<T>(KeyInfraTestHost host, string instrument) where T : struct
        => new(host.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, instrument);

    private static long Count(MetricCollector<long> collector, string cache)
        => collector.GetMeasurementSnapshot().Where(m => (string?)m.Tags[KeyInfraInstruments.KeyCacheTag] == cache).Sum(m => m.Value);

    private static async Task<(KeyInfo Key, byte[] Signature)> CreateAndSignAsync(KeySpec spec)
    {
        var key = await s_host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(spec, "metrics"));
        var signature = await s_host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
        return (key, signature.Signature);
    }
}
