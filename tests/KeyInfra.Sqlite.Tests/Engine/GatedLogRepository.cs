using KeyInfra.Storage;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// A second verification-log repository: the real EF one behind a gate the test opens, so a commit can be held
/// while records pile up in the writer's queue. <see cref="Entered"/> completes when the first commit reaches it.
/// </summary>
internal sealed class GatedLogRepository(IVerificationLogRepository inner) : IVerificationLogRepository, IAsyncDisposable
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Entered => _entered.Task;

    public void Open() => _gate.TrySetResult();

    /// <summary>Puts a gated copy of the registered repository in its place.</summary>
    public static void Install(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IVerificationLogRepository));
        services.Remove(registered);
        services.AddSingleton(provider => new GatedLogRepository(
            (IVerificationLogRepository)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!)));
        services.AddSingleton<IVerificationLogRepository>(provider => provider.GetRequiredService<GatedLogRepository>());
    }

    public async Task AppendAsync(LogGroup group, CancellationToken cancellationToken = default)
    {
        _entered.TrySetResult();
        await _gate.Task.WaitAsync(cancellationToken);
        await inner.AppendAsync(group, cancellationToken);
    }

    public Task<IReadOnlyList<Audit.ControlPlaneAuditRecord>> QueryControlPlaneAsync(Guid tenantId, Audit.AuditQuery query, CancellationToken cancellationToken = default)
        => inner.QueryControlPlaneAsync(tenantId, query, cancellationToken);

    public Task<IReadOnlyList<Audit.DataPlaneAuditRecord>> QueryDataPlaneAsync(Guid tenantId, Audit.AuditQuery query, CancellationToken cancellationToken = default)
        => inner.QueryDataPlaneAsync(tenantId, query, cancellationToken);

    public Task<IReadOnlyList<VerificationRecord>> QueryAsync(Guid tenantId, VerificationLogQuery query, CancellationToken cancellationToken = default)
        => inner.QueryAsync(tenantId, query, cancellationToken);

    public Task<BatchVerificationRecord?> GetBatchAsync(Guid tenantId, Guid batchId, CancellationToken cancellationToken = default)
        => inner.GetBatchAsync(tenantId, batchId, cancellationToken);

    public IAsyncEnumerable<StoredLogDigest> ListDigestsAsync(LogDigestSelection selection, string masterKeyId, CancellationToken cancellationToken = default)
        => inner.ListDigestsAsync(selection, masterKeyId, cancellationToken);

    public Task<bool> SetDigestRewrapAsync(StoredLogDigest digest, string masterKeyId, byte[] rewrapMac, CancellationToken cancellationToken = default)
        => inner.SetDigestRewrapAsync(digest, masterKeyId, rewrapMac, cancellationToken);

    public Task<IReadOnlyList<LogDigest>> ReadDigestsAsync(Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
        => inner.ReadDigestsAsync(tenantId, since, until, cancellationToken);

    public Task<LogDigest?> ReadDigestAsync(Guid tenantId, Guid chainId, long sequence, CancellationToken cancellationToken = default)
        => inner.ReadDigestAsync(tenantId, chainId, sequence, cancellationToken);

    public Task<IReadOnlyList<LogCheckpoint>> ReadCheckpointsAsync(Guid tenantId, CancellationToken cancellationToken = default)
        => inner.ReadCheckpointsAsync(tenantId, cancellationToken);

    public Task<IReadOnlyList<StoredLogEntry>> ReadEntriesAsync(Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
        => inner.ReadEntriesAsync(tenantId, since, until, cancellationToken);

    public Task<IReadOnlyList<StoredLogEntry>> ReadEntriesAsync(Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
        => inner.ReadEntriesAsync(tenantId, ids, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Open();
        if (inner is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
