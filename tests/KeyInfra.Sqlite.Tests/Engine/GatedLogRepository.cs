using KeyInfra.Storage;
using KeyInfra.Verification;
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

    public async Task AppendAsync(IReadOnlyList<VerificationRecord> records, IReadOnlyList<BatchVerificationRecord> batches, CancellationToken cancellationToken = default)
    {
        _entered.TrySetResult();
        await _gate.Task.WaitAsync(cancellationToken);
        await inner.AppendAsync(records, batches, cancellationToken);
    }

    public Task<IReadOnlyList<VerificationRecord>> QueryAsync(Guid tenantId, VerificationLogQuery query, CancellationToken cancellationToken = default)
        => inner.QueryAsync(tenantId, query, cancellationToken);

    public Task<BatchVerificationRecord?> GetBatchAsync(Guid tenantId, Guid batchId, CancellationToken cancellationToken = default)
        => inner.GetBatchAsync(tenantId, batchId, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Open();
        if (inner is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
