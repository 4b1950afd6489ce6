using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Tests;

/// <summary>
/// The real repository with a gate in front of <see cref="AddAsync"/> and one in front of <see cref="UpdateLifecycleAsync"/>:
/// once armed, the next adds (or lifecycle updates) wait until all of them have arrived, so writers that read the same
/// ring version insert it together, and writers that read the same row version update it together (deterministic
/// races). Shared by the test projects (linked like LogCapture.cs).
/// </summary>
internal sealed class GatedKeyRepository(IKeyRepository inner) : IKeyRepository
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _gate;
    private int _waiting;
    private int _refused;
    private TaskCompletionSource? _updateGate;
    private int _updatesWaiting;
    private int _updatesRefused;

    /// <summary>How many lifecycle updates the store refused (the row version moved on, or the row is revoked).</summary>
    public int UpdatesRefused => Volatile.Read(ref _updatesRefused);

    /// <summary>How many adds the store refused because the ring version was taken.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Puts the repository in place of the registered one.</summary>
    public static void Register(IServiceCollection services, Action<GatedKeyRepository> created)
    {
        var registered = services.Single(d => d.ServiceType == typeof(IKeyRepository));
        services.Remove(registered);
        services.AddSingleton<IKeyRepository>(provider =>
        {
            var gated = new GatedKeyRepository((IKeyRepository)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));
            created(gated);
            return gated;
        });
    }

    /// <summary>Holds the next <paramref name="count"/> adds until all of them have arrived.</summary>
    public void HoldNextAdds(int count)
    {
        lock (_lock)
        {
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting = count;
        }
    }

    /// <summary>Holds the next <paramref name="count"/> lifecycle updates until all of them have arrived.</summary>
    public void HoldNextLifecycleUpdates(int count)
    {
        lock (_lock)
        {
            _updateGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _updatesWaiting = count;
        }
    }

    public async Task<bool> AddAsync(KeyRecord key, CancellationToken cancellationToken = default)
    {
        Task? wait = null;
        lock (_lock)
        {
            if (_gate is { } gate && _waiting > 0)
            {
                wait = gate.Task;
                if (--_waiting == 0)
                {
                    gate.SetResult();
                    _gate = null;
                }
            }
        }

        if (wait is not null)
        {
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var added = await inner.AddAsync(key, cancellationToken).ConfigureAwait(false);
        if (!added)
        {
            Interlocked.Increment(ref _refused);
        }

        return added;
    }

    public Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default) => inner.FindAsync(tenantId, id, cancellationToken);

    public Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, bool includePrivateKey, CancellationToken cancellationToken = default) => inner.FindAsync(tenantId, id, includePrivateKey, cancellationToken);

    public Task<KeyRecord?> FindLatestInRingAsync(Guid tenantId, string ringName, CancellationToken cancellationToken = default) => inner.FindLatestInRingAsync(tenantId, ringName, cancellationToken);

    public Task<IReadOnlyList<KeyRecord>> FindByPublicKeyAsync(Guid tenantId, PublicKeyLookup lookup, int limit, CancellationToken cancellationToken = default) => inner.FindByPublicKeyAsync(tenantId, lookup, limit, cancellationToken);

    public Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, CancellationToken cancellationToken = default) => inner.ListAsync(tenantId, query, limit, cancellationToken);

    public Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, bool includePrivateKey, CancellationToken cancellationToken = default)
    {
        ListScopes.Enqueue(OwnerScope.Current);
        return inner.ListAsync(tenantId, query, limit, includePrivateKey, cancellationToken);
    }

    /// <summary>The <see cref="OwnerScope"/> each list with <c>includePrivateKey</c> ran in, in order (the key store's lists use that overload).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<IReadOnlyList<string>?> ListScopes { get; } = new();

    public async Task<bool> UpdateLifecycleAsync(KeyRecord key, CancellationToken cancellationToken = default)
    {
        Task? wait = null;
        lock (_lock)
        {
            if (_updateGate is { } gate && _updatesWaiting > 0)
            {
                wait = gate.Task;
                if (--_updatesWaiting == 0)
                {
                    gate.SetResult();
                    _updateGate = null;
                }
            }
        }

        if (wait is not null)
        {
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var updated = await inner.UpdateLifecycleAsync(key, cancellationToken).ConfigureAwait(false);
        if (!updated)
        {
            Interlocked.Increment(ref _updatesRefused);
        }

        return updated;
    }

    public Task<bool> UpdateRowMacAsync(Guid tenantId, KeyId id, long version, byte[] rowMac, string masterKeyId, CancellationToken cancellationToken = default) => inner.UpdateRowMacAsync(tenantId, id, version, rowMac, masterKeyId, cancellationToken);

    public IAsyncEnumerable<KeyRecord> ListKeyRowsAsync(CancellationToken cancellationToken = default) => inner.ListKeyRowsAsync(cancellationToken);

    public Task<bool> UpdatePrivateKeyAsync(Guid tenantId, KeyId id, PrivateKeyRecord privateKey, CancellationToken cancellationToken = default) => inner.UpdatePrivateKeyAsync(tenantId, id, privateKey, cancellationToken);

    public Task<DeleteKeyOutcome> DeleteAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default) => inner.DeleteAsync(tenantId, id, cancellationToken);

    public IAsyncEnumerable<StoredPrivateKey> ListPrivateKeysAsync(CancellationToken cancellationToken = default) => inner.ListPrivateKeysAsync(cancellationToken);

    public Task<IReadOnlyList<string>> ListMasterKeyIdsInUseAsync(CancellationToken cancellationToken = default) => inner.ListMasterKeyIdsInUseAsync(cancellationToken);

    public Task<IReadOnlyList<MasterKeyUseCount>> CountMasterKeyUsesAsync(CancellationToken cancellationToken = default) => inner.CountMasterKeyUsesAsync(cancellationToken);
}
