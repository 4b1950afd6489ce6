using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>The audit logs' modes: each plane recorded or not as configured, and a Durable change told when its record is lost.</summary>
[TestClass]
public sealed class AuditModeTests
{
    private static readonly byte[] Document = "modes"u8.ToArray();

    [TestMethod]
    [DataRow(LogMode.Off, LogMode.Buffered)]
    [DataRow(LogMode.Durable, LogMode.Off)]
    [DataRow(LogMode.Buffered, LogMode.Durable)]
    public async Task Planes_RecordOnlyWhenNotOff(LogMode controlPlane, LogMode dataPlane)
    {
        await using var host = await KeyInfraTestHost.StartAsync(options: o =>
        {
            o.Audit.ControlPlane = controlPlane;
            o.Audit.DataPlane = dataPlane;
        });
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "modes"));
            await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
            var trail = host.Get<IAuditTrail>();
            await trail.FlushAsync();

            var changes = await trail.QueryControlPlaneAsync(new AuditQuery { TargetId = key.Id.ToString() });
            var decisions = await trail.QueryDataPlaneAsync(new AuditQuery { KeyId = key.Id.Value, Action = "sign" });

            Assert.HasCount(controlPlane == LogMode.Off ? 0 : 1, changes.Records);
            Assert.HasCount(dataPlane == LogMode.Off ? 0 : 1, decisions.Records);
            Assert.AreEqual(AuditActorKind.Anonymous, decisions.Records.SingleOrDefault()?.ActorKind ?? AuditActorKind.Anonymous, "no caller was set");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task DurableControlPlane_RecordCannotBeCommitted_TheChangeStandsAndTheCallSaysSo()
    {
        await using var host = await KeyInfraTestHost.StartAsync(options: o => o.VerificationLog.Mode = LogMode.Off, services: FailingAuditRepository.Install);
        try
        {
            var e = await Assert.ThrowsAsync<VerificationLogException>(() => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "unrecorded")));
            var stored = await host.Get<IKeyStore>().ListAsync(new KeyQuery());

            Assert.AreEqual(ErrorCodes.VerificationLogWriteFailed, e.ErrorCode);
            Assert.IsTrue(stored.Items.Any(k => k.Name == "unrecorded"), "the key was made before its record failed");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    /// <summary>The real repository, whose appends of control-plane records fail as a full disk would.</summary>
    private sealed class FailingAuditRepository(IVerificationLogRepository inner) : IVerificationLogRepository
    {
        public static void Install(IServiceCollection services)
        {
            var registered = services.Last(d => d.ServiceType == typeof(IVerificationLogRepository));
            services.Remove(registered);
            services.AddSingleton<IVerificationLogRepository>(provider => new FailingAuditRepository(
                (IVerificationLogRepository)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!)));
        }

        public Task AppendAsync(LogGroup group, CancellationToken cancellationToken = default)
            => group.ControlPlane.Count > 0 ? throw new IOException("The disk is full.") : inner.AppendAsync(group, cancellationToken);

        public Task<IReadOnlyList<ControlPlaneAuditRecord>> QueryControlPlaneAsync(Guid tenantId, AuditQuery query, CancellationToken cancellationToken = default)
            => inner.QueryControlPlaneAsync(tenantId, query, cancellationToken);

        public Task<IReadOnlyList<DataPlaneAuditRecord>> QueryDataPlaneAsync(Guid tenantId, AuditQuery query, CancellationToken cancellationToken = default)
            => inner.QueryDataPlaneAsync(tenantId, query, cancellationToken);

        public Task<IReadOnlyList<Verification.Chain.LogDigest>> ReadDigestsAsync(Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
            => inner.ReadDigestsAsync(tenantId, since, until, cancellationToken);

        public Task<Verification.Chain.LogDigest?> ReadDigestAsync(Guid tenantId, Guid chainId, long sequence, CancellationToken cancellationToken = default)
            => inner.ReadDigestAsync(tenantId, chainId, sequence, cancellationToken);

        public Task<IReadOnlyList<Verification.Chain.LogCheckpoint>> ReadCheckpointsAsync(Guid tenantId, CancellationToken cancellationToken = default)
            => inner.ReadCheckpointsAsync(tenantId, cancellationToken);

        public Task<IReadOnlyList<Verification.Chain.StoredLogEntry>> ReadEntriesAsync(Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
            => inner.ReadEntriesAsync(tenantId, since, until, cancellationToken);

        public Task<IReadOnlyList<Verification.Chain.StoredLogEntry>> ReadEntriesAsync(Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
            => inner.ReadEntriesAsync(tenantId, ids, cancellationToken);

        public Task<IReadOnlyList<VerificationRecord>> QueryAsync(Guid tenantId, VerificationLogQuery query, CancellationToken cancellationToken = default)
            => inner.QueryAsync(tenantId, query, cancellationToken);

        public Task<BatchVerificationRecord?> GetBatchAsync(Guid tenantId, Guid batchId, CancellationToken cancellationToken = default)
            => inner.GetBatchAsync(tenantId, batchId, cancellationToken);

        public IAsyncEnumerable<StoredLogDigest> ListDigestsAsync(LogDigestSelection selection, string masterKeyId, CancellationToken cancellationToken = default)
            => inner.ListDigestsAsync(selection, masterKeyId, cancellationToken);

        public Task<bool> SetDigestRewrapAsync(StoredLogDigest digest, string masterKeyId, byte[] rewrapMac, CancellationToken cancellationToken = default)
            => inner.SetDigestRewrapAsync(digest, masterKeyId, rewrapMac, cancellationToken);
    }
}
