using KeyInfra.Errors;
using KeyInfra.HealthChecks;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>KeyInfra's health checks, run through the host's <see cref="HealthCheckService"/> on real SQLite files.</summary>
[TestClass]
public sealed class KeyInfraHealthChecksTests
{
    private static readonly byte[] Document = "health"u8.ToArray();

    [TestMethod]
    public async Task CheckHealth_MigratedDatabase_EveryCheckHealthy()
    {
        await using var host = await KeyInfraTestHost.StartAsync(services: AddChecks);
        try
        {
            await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "health"));

            var report = await host.Get<HealthCheckService>().CheckHealthAsync();

            Assert.AreEqual(HealthStatus.Healthy, report.Status, Describe(report));
            CollectionAssert.AreEquivalent(
                new[] { KeyInfraHealthChecks.StorageName, KeyInfraHealthChecks.MasterKeyName, KeyInfraHealthChecks.VerificationLogName, KeyInfraHealthChecks.CertificatesName },
                report.Entries.Keys.ToArray());
            Assert.IsTrue(report.Entries.Values.All(e => e.Tags.Contains(KeyInfraHealthChecks.Tag)));
            Assert.IsTrue(report.Entries.Where(e => e.Key != KeyInfraHealthChecks.CertificatesName).All(e => e.Value.Tags.Contains(KeyInfraHealthChecks.ReadyTag)));
            Assert.IsTrue(report.Entries[KeyInfraHealthChecks.VerificationLogName].Tags.Contains(KeyInfraHealthChecks.LiveTag));
            Assert.AreEqual(0, report.Entries[KeyInfraHealthChecks.StorageName].Data["pending_migrations"]);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task AddKeyInfrastructure_CalledTwice_EachCheckOnceAndEveryConfigureRuns()
    {
        await using var host = await KeyInfraTestHost.StartAsync(services: s =>
        {
            s.AddHealthChecks().AddKeyInfrastructure();
            s.AddHealthChecks().AddKeyInfrastructure(o => o.VerificationLogDegradedRatio = 0.25);
        });
        try
        {
            var registrations = host.Get<IOptions<HealthCheckServiceOptions>>().Value.Registrations;

            Assert.AreEqual(4, registrations.Count);
            Assert.AreEqual(0.25, host.Get<IOptions<KeyInfraHealthCheckOptions>>().Value.VerificationLogDegradedRatio);
            Assert.AreEqual(HealthStatus.Healthy, (await host.Get<HealthCheckService>().CheckHealthAsync()).Status);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task Storage_PendingMigrations_UnhealthySayingToMigrate()
    {
        // MigrateOnStartup off on a fresh file: starting would fail on the missing tables, so the host is only built,
        // as an orchestrator probing a half-deployed instance would find it.
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            using var host = BuildUnstartedHost(Path.Combine(folder, "keyinfra.db"), KeyInfraTestHost.NewMasterKey());

            var entry = await CheckAsync(host, KeyInfraHealthChecks.StorageName);

            Assert.AreEqual(HealthStatus.Unhealthy, entry.Status);
            StringAssert.Contains(entry.Description, "Migrate the database");
            Assert.IsTrue((int)entry.Data["pending_migrations"] > 0);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task Storage_Unreachable_UnhealthyNamingTheExceptionTypeOnly()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            // A file where the database's folder should be: the database cannot be opened.
            var blocker = Path.Combine(folder, "not-a-folder");
            await File.WriteAllTextAsync(blocker, "");
            using var host = BuildUnstartedHost(Path.Combine(blocker, "keyinfra.db"), KeyInfraTestHost.NewMasterKey());

            var entry = await CheckAsync(host, KeyInfraHealthChecks.StorageName);

            Assert.AreEqual(HealthStatus.Unhealthy, entry.Status);
            StringAssert.Contains(entry.Description, "Storage is unreachable");
            Assert.IsFalse(entry.Description!.Contains(folder, StringComparison.Ordinal), entry.Description);
            Assert.IsNull(entry.Exception);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task MasterKey_WrongKey_UnhealthyWithErrorCode()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            await using (var first = await KeyInfraTestHost.StartAsync(folder))
            {
                await first.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "guarded"));
            }

            // A host with another master key cannot start; its health check says why.
            using var host = BuildUnstartedHost(Path.Combine(folder, "keyinfra.db"), KeyInfraTestHost.NewMasterKey());

            var entry = await CheckAsync(host, KeyInfraHealthChecks.MasterKeyName);
            var storage = await CheckAsync(host, KeyInfraHealthChecks.StorageName);

            Assert.AreEqual(HealthStatus.Unhealthy, entry.Status);
            StringAssert.StartsWith(entry.Description, ErrorCodes.MasterKeyUnavailable);
            Assert.AreEqual(HealthStatus.Healthy, storage.Status);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task VerificationLog_CommitHeldAndQueueAboveThreshold_DegradedThenHealthy()
    {
        await using var host = await KeyInfraTestHost.StartAsync(
            options: o =>
            {
                o.VerificationLog.Mode = LogMode.Buffered;
                o.VerificationLog.BufferCapacity = 4;

                // Off: a key's creation would wait for its audit record, held at the gate.
                o.Audit.ControlPlane = LogMode.Off;
                o.Audit.DataPlane = LogMode.Off;
            },
            services: s =>
            {
                GatedLogRepository.Install(s);
                s.AddHealthChecks().AddKeyInfrastructure(o => o.VerificationLogDegradedRatio = 0.5);
            });
        try
        {
            var gate = host.Get<GatedLogRepository>();
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "backed up"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            var verifier = host.Get<IVerifier>();
            await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));
            await gate.Entered;
            await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));
            var belowThreshold = await CheckAsync(host, KeyInfraHealthChecks.VerificationLogName);
            await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));
            await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));

            // The writer holds one record in its commit; three of the four queue slots are taken.
            var backedUp = await CheckAsync(host, KeyInfraHealthChecks.VerificationLogName);
            gate.Open();
            await host.Get<IVerificationLog>().FlushAsync();
            var drained = await CheckAsync(host, KeyInfraHealthChecks.VerificationLogName);

            Assert.AreEqual(HealthStatus.Healthy, belowThreshold.Status, belowThreshold.Description);
            Assert.AreEqual(HealthStatus.Degraded, backedUp.Status, backedUp.Description);
            Assert.AreEqual(3, backedUp.Data["queue_length"]);
            Assert.AreEqual(4, backedUp.Data["queue_capacity"]);
            StringAssert.Contains(backedUp.Description, "backed up");
            Assert.AreEqual(HealthStatus.Healthy, drained.Status, drained.Description);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task VerificationLog_LoggerThrowsInTheCommitPath_CallersAreToldAndTheWriterLives()
    {
        // Every commit fails, and the logger throws when the writer reports the failure: before, the writer's thread
        // died and every Durable caller waited forever.
        var logger = new ThrowingLoggerProvider(eventId: 1101);
        var host = await KeyInfraTestHost.StartAsync(
            options: o =>
            {
                // Off: the key's creation below would fail on its own audit record's commit.
                o.Audit.ControlPlane = LogMode.Off;
                o.Audit.DataPlane = LogMode.Off;
            },
            services: s =>
            {
                s.RemoveAll<IVerificationLogRepository>();
                s.AddSingleton<IVerificationLogRepository, FailingLogRepository>();
                s.AddSingleton<ILoggerProvider>(logger);
                AddChecks(s);
            });
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "faulted"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;

            var first = await Assert.ThrowsAsync<VerificationLogException>(() => host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature)).WaitAsync(TimeSpan.FromSeconds(30)));
            var second = await Assert.ThrowsAsync<VerificationLogException>(() => host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature)).WaitAsync(TimeSpan.FromSeconds(30)));
            var entry = await CheckAsync(host, KeyInfraHealthChecks.VerificationLogName);

            Assert.AreEqual(ErrorCodes.VerificationLogWriteFailed, first.ErrorCode);
            Assert.AreEqual(ErrorCodes.VerificationLogWriteFailed, second.ErrorCode);
            Assert.IsTrue(logger.Thrown.IsCompleted, "The logger never threw: the test did not reach the path it is about.");
            Assert.AreNotEqual(HealthStatus.Unhealthy, entry.Status, entry.Description);
        }
        finally
        {
            await host.DisposeAsync();
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task VerificationLog_Off_HealthySayingNothingIsRecorded()
    {
        await using var host = await KeyInfraTestHost.StartAsync(options: o => o.VerificationLog.Mode = LogMode.Off, services: AddChecks);
        try
        {
            var entry = await CheckAsync(host.Host, KeyInfraHealthChecks.VerificationLogName);

            Assert.AreEqual(HealthStatus.Healthy, entry.Status);
            StringAssert.Contains(entry.Description, "not recorded");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    private static void AddChecks(IServiceCollection services) => services.AddHealthChecks().AddKeyInfrastructure();

    private static Task<HealthReportEntry> CheckAsync(KeyInfraTestHost host, string name) => CheckAsync(host.Host, name);

    private static async Task<HealthReportEntry> CheckAsync(IHost host, string name)
        => (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == name)).Entries[name];

    private static string Describe(HealthReport report)
        => string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Value.Status} {e.Value.Description}"));

    private static IHost BuildUnstartedHost(string databasePath, string masterKey)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddKeyInfrastructure(o => o.MigrateOnStartup = false)
            .UseSqlite($"Data Source={databasePath}")
            .UseEnvironmentMasterKey(o =>
            {
                o.MasterKey = masterKey;
                o.MasterSecret = null;
                o.PreviousMasterKeys = null;
            });
        AddChecks(builder.Services);
        return builder.Build();
    }

    /// <summary>A log repository whose every commit fails.</summary>
    private sealed class FailingLogRepository : IVerificationLogRepository
    {
        public Task AppendAsync(LogGroup group, CancellationToken cancellationToken = default)
            => throw new IOException("The disk is gone.");

        public Task<IReadOnlyList<Audit.ControlPlaneAuditRecord>> QueryControlPlaneAsync(Guid tenantId, Audit.AuditQuery query, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<Audit.ControlPlaneAuditRecord>>([]);

        public Task<IReadOnlyList<Audit.DataPlaneAuditRecord>> QueryDataPlaneAsync(Guid tenantId, Audit.AuditQuery query, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<Audit.DataPlaneAuditRecord>>([]);

        public Task<IReadOnlyList<VerificationRecord>> QueryAsync(Guid tenantId, VerificationLogQuery query, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<VerificationRecord>>([]);

        public Task<BatchVerificationRecord?> GetBatchAsync(Guid tenantId, Guid batchId, CancellationToken cancellationToken = default)
            => Task.FromResult<BatchVerificationRecord?>(null);

        public IAsyncEnumerable<StoredLogDigest> ListDigestsAsync(LogDigestSelection selection, string masterKeyId, CancellationToken cancellationToken = default)
            => AsyncEnumerable.Empty<StoredLogDigest>();

        public Task<bool> SetDigestRewrapAsync(StoredLogDigest digest, string masterKeyId, byte[] rewrapMac, CancellationToken cancellationToken = default)
            => Task.FromResult(false);

        public Task<IReadOnlyList<LogDigest>> ReadDigestsAsync(Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<LogDigest>>([]);

        public Task<LogDigest?> ReadDigestAsync(Guid tenantId, Guid chainId, long sequence, CancellationToken cancellationToken = default)
            => Task.FromResult<LogDigest?>(null);

        public Task<IReadOnlyList<LogCheckpoint>> ReadCheckpointsAsync(Guid tenantId, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<LogCheckpoint>>([]);

        public Task<IReadOnlyList<StoredLogEntry>> ReadEntriesAsync(Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<StoredLogEntry>>([]);

        public Task<IReadOnlyList<StoredLogEntry>> ReadEntriesAsync(Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<StoredLogEntry>>([]);
    }

    /// <summary>A logger that throws when it is handed one event id.</summary>
    private sealed class ThrowingLoggerProvider(int eventId) : ILoggerProvider
    {
        private readonly int _eventId = eventId;
        private readonly TaskCompletionSource _thrown = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Thrown => _thrown.Task;

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(ThrowingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (eventId.Id == owner._eventId)
                {
                    owner._thrown.TrySetResult();
                    throw new InvalidOperationException("The log sink is broken.");
                }
            }
        }
    }
}
