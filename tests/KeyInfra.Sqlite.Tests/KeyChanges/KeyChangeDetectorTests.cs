using System.Diagnostics;
using System.Diagnostics.Metrics;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Sqlite.KeyChanges;
using KeyInfra.Sqlite.Tests.Engine;
using KeyInfra.Verification;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;

namespace KeyInfra.Sqlite.Tests.KeyChanges;

/// <summary>
/// Key changes made by another process on the same SQLite file reach this one's caches: a real second process
/// (tests/KeyInfra.CrashHost) refuses a key within two seconds of its revocation here; between two hosts in this
/// process (each with its own caches and connections, as two processes have) the watcher drops exactly the keys that
/// changed, not the rest, and not on the verification log's commits. Waits are on the watcher's own progress (a look
/// that began after the commit), never on timing, except the two-process bound the product promises.
/// </summary>
[TestClass]
public sealed class KeyChangeDetectorTests
{
    private static readonly byte[] Document = "changed elsewhere"u8.ToArray();

    [TestMethod]
    public async Task RevokeAsync_KeyInUseByAnotherProcess_ThatProcessRefusesItWithinTwoSeconds()
    {
        var folder = KeyInfraTestHost.NewFolder();
        var masterKey = KeyInfraTestHost.NewMasterKey();
        try
        {
            // Arrange: this process creates the key; the child verifies and signs with it in a loop.
            await using var host = await KeyInfraTestHost.StartAsync(folder, masterKey, o => o.VerificationLog.Mode = LogMode.Off);
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "used elsewhere"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            using var child = StartWatcher(host.DatabasePath, masterKey, key.Id, signature);
            var errors = child.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await ReadUntilAsync(child, "state Valid ok", errors, timeout.Token);

                // Act
                await host.Get<IKeyStore>().RevokeAsync(key.Id, RevocationReason.KeyCompromise);
                var revokedAt = Stopwatch.GetTimestamp();
                await ReadUntilAsync(child, $"state {VerificationStatus.KeyRevoked} {ErrorCodes.KeyRevoked}", errors, timeout.Token);
                var elapsed = Stopwatch.GetElapsedTime(revokedAt);

                // Assert: the product's bound for SQLite across processes (docs/security/revocation.md).
                Assert.IsLessThan(TimeSpan.FromSeconds(2), elapsed, $"The other process refused the key {elapsed.TotalMilliseconds:F0} ms after the revoke returned.");
            }
            finally
            {
                child.Kill();
                await child.WaitForExitAsync(CancellationToken.None);
            }
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task RevokeAsync_InAnotherHostOnTheFile_ThisHostDropsThatKeyOnly()
    {
        var folder = KeyInfraTestHost.NewFolder();
        var masterKey = KeyInfraTestHost.NewMasterKey();
        try
        {
            // Arrange: two keys in use here, both cached.
            await using var here = await StartAsync(folder, masterKey);
            await using var other = await StartAsync(folder, masterKey);
            var revoked = await CreateUsedAsync(here, "revoked elsewhere");
            var untouched = await CreateUsedAsync(here, "untouched");
            using var hits = new MetricCollector<long>(here.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, KeyInfraInstruments.KeyCacheHits);
            using var received = new MetricCollector<long>(here.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, KeyInfraInstruments.KeyChangesReceived);

            // Act
            await other.Get<IKeyStore>().RevokeAsync(revoked.Id, RevocationReason.KeyCompromise);
            await WaitForLookAfterNowAsync(here);
            var revokedResult = await here.Get<IVerifier>().VerifyAsync(revoked.Request);
            var signError = await Assert.ThrowsExactlyAsync<KeyStateException>(() => here.Get<ISigner>().SignAsync(new SignRequest(revoked.Id, Document)));
            var hitsBefore = PublicKeyHits(hits);
            var untouchedResult = await here.Get<IVerifier>().VerifyAsync(untouched.Request);

            // Assert
            Assert.AreEqual(VerificationStatus.KeyRevoked, revokedResult.Status);
            Assert.AreEqual(ErrorCodes.KeyRevoked, signError.ErrorCode);
            Assert.AreEqual(VerificationStatus.Valid, untouchedResult.Status);
            Assert.AreEqual(hitsBefore + 1, PublicKeyHits(hits), "The key nobody changed stayed cached.");
            Assert.IsGreaterThanOrEqualTo(1L, received.GetMeasurementSnapshot().Sum(m => m.Value));
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task VerificationLogCommitsInAnotherHost_CachedKeysStayCached()
    {
        var folder = KeyInfraTestHost.NewFolder();
        var masterKey = KeyInfraTestHost.NewMasterKey();
        try
        {
            // Arrange: the other host writes the Durable log (a commit per verification), which moves data_version here.
            await using var here = await StartAsync(folder, masterKey);
            await using var other = await KeyInfraTestHost.StartAsync(folder, masterKey, services: FastPolling);
            var key = await CreateUsedAsync(here, "log commits elsewhere");
            using var hits = new MetricCollector<long>(here.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, KeyInfraInstruments.KeyCacheHits);
            using var resets = new MetricCollector<long>(here.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, KeyInfraInstruments.KeyChangeResets);

            // Act
            for (var i = 0; i < 5; i++)
            {
                Assert.IsNotNull((await other.Get<IVerifier>().VerifyAsync(key.Request)).RecordId);
            }

            await WaitForLookAfterNowAsync(here);
            var hitsBefore = PublicKeyHits(hits);
            var result = await here.Get<IVerifier>().VerifyAsync(key.Request);

            // Assert
            Assert.AreEqual(VerificationStatus.Valid, result.Status);
            Assert.AreEqual(hitsBefore + 1, PublicKeyHits(hits), "A log commit is not a key change: the key stayed cached.");
            Assert.IsEmpty(resets.GetMeasurementSnapshot());
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task KeyChangesEmptiedByAWriter_EveryCachedKeyDropped()
    {
        var folder = KeyInfraTestHost.NewFolder();
        var masterKey = KeyInfraTestHost.NewMasterKey();
        try
        {
            // Arrange
            await using var here = await StartAsync(folder, masterKey);
            var key = await CreateUsedAsync(here, "counter reset");
            using var resets = new MetricCollector<long>(here.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, KeyInfraInstruments.KeyChangeResets);
            using var misses = new MetricCollector<long>(here.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, KeyInfraInstruments.KeyCacheMisses);

            // Act: the counter goes back, as when the table is emptied or the file restored from an older copy.
            Execute(here.DatabasePath, "DELETE FROM key_changes;");
            await WaitForLookAfterNowAsync(here);
            var missesBefore = misses.GetMeasurementSnapshot().Count;
            await here.Get<IVerifier>().VerifyAsync(key.Request);

            // Assert
            Assert.IsTrue(resets.GetMeasurementSnapshot().Any(m => (string?)m.Tags[KeyInfraInstruments.KeyChangeResetReasonTag] == "counter_reset"));
            Assert.AreEqual(missesBefore + 1, misses.GetMeasurementSnapshot().Count, "Every key was dropped: the next lookup misses.");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task RevokeAsync_AlreadyRevokedByAnotherHostNotWatched_DropsTheKeyHere()
    {
        var folder = KeyInfraTestHost.NewFolder();
        var masterKey = KeyInfraTestHost.NewMasterKey();
        try
        {
            // Arrange: this host does not watch the file, so the other host's revocation leaves its copy stale.
            await using var here = await KeyInfraTestHost.StartAsync(folder, masterKey, o => o.VerificationLog.Mode = LogMode.Off,
                services: s => s.Configure<SqliteStorageOptions>(o => o.DetectKeyChanges = false));
            await using var other = await StartAsync(folder, masterKey);
            var key = await CreateUsedAsync(here, "revoked twice");
            await other.Get<IKeyStore>().RevokeAsync(key.Id, RevocationReason.KeyCompromise);
            var stale = await here.Get<IVerifier>().VerifyAsync(key.Request);

            // Act
            var returned = await here.Get<IKeyStore>().RevokeAsync(key.Id, RevocationReason.Superseded);
            var after = await here.Get<IVerifier>().VerifyAsync(key.Request);

            // Assert
            Assert.AreEqual(VerificationStatus.Valid, stale.Status, "Without the watcher this host still held the key as active.");
            Assert.AreEqual(KeyStatus.Revoked, returned.Status);
            Assert.AreEqual(VerificationStatus.KeyRevoked, after.Status, "A revoke that finds the key revoked still drops it here.");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task HealthCheck_WatchingThenFailing_HealthyThenDegraded()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            // Arrange
            await using var here = await StartAsync(folder, KeyInfraTestHost.NewMasterKey());
            var check = ActivatorUtilities.CreateInstance<HealthChecks.KeyChangeDetectorHealthCheck>(here.Services);
            var watching = await check.CheckHealthAsync(new HealthCheckContext());

            // Act: the watcher can no longer read the change counter.
            Execute(here.DatabasePath, "DROP TABLE key_changes;");
            var detector = here.Get<KeyChangeDetector>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (detector.LastLookAt is not null)
            {
                await Task.Delay(20, timeout.Token);
            }

            var failing = await check.CheckHealthAsync(new HealthCheckContext());

            // Assert
            Assert.AreEqual(HealthStatus.Healthy, watching.Status, watching.Description);
            Assert.AreEqual(HealthStatus.Degraded, failing.Status, failing.Description);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    private static void FastPolling(IServiceCollection services)
        => services.Configure<SqliteStorageOptions>(o => o.KeyChangePollInterval = TimeSpan.FromMilliseconds(20));

    private static async Task<KeyInfraTestHost> StartAsync(string folder, string masterKey)
    {
        var host = await KeyInfraTestHost.StartAsync(folder, masterKey, o => o.VerificationLog.Mode = LogMode.Off, services: FastPolling);
        await host.Get<KeyChangeDetector>().Watching;
        return host;
    }

    private static async Task<UsedKey> CreateUsedAsync(KeyInfraTestHost host, string name)
    {
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, name));
        var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
        var request = new VerificationRequest(key.Id, Document, signature);

        // The key's own creation is a change the watcher sees; let it pass before the key is cached for the test.
        await WaitForLookAfterNowAsync(host);
        Assert.AreEqual(VerificationStatus.Valid, (await host.Get<IVerifier>().VerifyAsync(request)).Status);
        return new UsedKey(key.Id, request);
    }

    // Waits until a look that began after this call has completed: every commit made before the call has been seen.
    private static async Task WaitForLookAfterNowAsync(KeyInfraTestHost host)
    {
        if (!host.Get<IOptions<SqliteStorageOptions>>().Value.DetectKeyChanges)
        {
            return;
        }

        var detector = host.Get<KeyChangeDetector>();
        var target = detector.Looks + 2;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (detector.Looks < target)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private static long PublicKeyHits(MetricCollector<long> hits)
        => hits.GetMeasurementSnapshot().Where(m => (string?)m.Tags[KeyInfraInstruments.KeyCacheTag] == KeyInfraInstruments.PublicKeyCache).Sum(m => m.Value);

    private static void Execute(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static Process StartWatcher(string databasePath, string masterKey, KeyId keyId, byte[] signature)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KeyInfra.CrashHost.dll"));
        start.ArgumentList.Add("watch");
        start.ArgumentList.Add(databasePath);
        start.ArgumentList.Add(keyId.ToString());
        start.ArgumentList.Add(Convert.ToBase64String(Document));
        start.ArgumentList.Add(Convert.ToBase64String(signature));
        start.Environment[EnvironmentMasterKeyOptions.MasterKeyVariable] = masterKey;
        start.Environment.Remove(EnvironmentMasterKeyOptions.MasterSecretVariable);
        start.Environment.Remove(EnvironmentMasterKeyOptions.PreviousMasterKeysVariable);
        start.Environment.Remove(EnvironmentMasterKeyOptions.MasterKeyIdVariable);
        return Process.Start(start)!;
    }

    private static async Task ReadUntilAsync(Process child, string expected, Task<string> errors, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await child.StandardOutput.ReadLineAsync(cancellationToken)
                ?? throw new AssertFailedException($"The watching process exited (exit code {(child.HasExited ? child.ExitCode : -1)}): {await errors}");
            if (line == expected)
            {
                return;
            }
        }
    }

    private sealed record UsedKey(KeyId Id, VerificationRequest Request);
}
