using System.Collections.Concurrent;
using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// A decorator of the real repository that records the reads the engine makes (and whether they asked for private
/// key material), and can hold reads of keys at a gate the test opens, to make races deterministic.
/// </summary>
internal sealed class RecordingKeyRepository(IKeyRepository inner) : IKeyRepository
{
    private readonly ConcurrentQueue<string> _reads = new();

    /// <summary>While set, <c>FindAsync</c> waits for it before reading.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>The reads so far, as <c>Find(private)</c>, <c>Find(public)</c>, <c>List(private)</c>, <c>List(public)</c>.</summary>
    public IReadOnlyList<string> Reads => _reads.ToArray();

    public void Clear() => _reads.Clear();

    /// <summary>Replaces the registered repository with this decorator around it (after <c>UseSqlite</c>).</summary>
    public static void Decorate(IServiceCollection services)
    {
        var descriptor = services.Single(d => d.ServiceType == typeof(IKeyRepository));
        services.Remove(descriptor);
        services.AddSingleton<IKeyRepository>(provider => new RecordingKeyRepository((IKeyRepository)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!)));
    }

    public Task<bool> AddAsync(KeyRecord key, CancellationToken cancellationToken = default) => inner.AddAsync(key, cancellationToken);

    public Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default)
        => FindAsync(tenantId, id, includePrivateKey: true, cancellationToken);

    public async Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, bool includePrivateKey, CancellationToken cancellationToken = default)
    {
        _reads.Enqueue(includePrivateKey ? "Find(private)" : "Find(public)");
        if (Gate is { } gate)
        {
            await gate.Task.ConfigureAwait(false);
        }

        return await inner.FindAsync(tenantId, id, includePrivateKey, cancellationToken).ConfigureAwait(false);
    }

    public Task<KeyRecord?> FindLatestInRingAsync(Guid tenantId, string ringName, CancellationToken cancellationToken = default)
        => inner.FindLatestInRingAsync(tenantId, ringName, cancellationToken);

    public Task<IReadOnlyList<KeyRecord>> FindByPublicKeyAsync(Guid tenantId, PublicKeyLookup lookup, int limit, CancellationToken cancellationToken = default)
        => inner.FindByPublicKeyAsync(tenantId, lookup, limit, cancellationToken);

    public Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, CancellationToken cancellationToken = default)
        => ListAsync(tenantId, query, limit, includePrivateKey: true, cancellationToken);

    public Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, bool includePrivateKey, CancellationToken cancellationToken = default)
    {
        _reads.Enqueue(includePrivateKey ? "List(private)" : "List(public)");
        return inner.ListAsync(tenantId, query, limit, includePrivateKey, cancellationToken);
    }

    public Task<bool> UpdateLifecycleAsync(KeyRecord key, CancellationToken cancellationToken = default) => inner.UpdateLifecycleAsync(key, cancellationToken);

    public Task<bool> UpdatePrivateKeyAsync(Guid tenantId, KeyId id, PrivateKeyRecord privateKey, CancellationToken cancellationToken = default)
        => inner.UpdatePrivateKeyAsync(tenantId, id, privateKey, cancellationToken);

    public Task<DeleteKeyOutcome> DeleteAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default) => inner.DeleteAsync(tenantId, id, cancellationToken);

    public IAsyncEnumerable<StoredPrivateKey> ListPrivateKeysAsync(CancellationToken cancellationToken = default) => inner.ListPrivateKeysAsync(cancellationToken);

    public Task<bool> UpdateRowMacAsync(Guid tenantId, KeyId id, long version, byte[] rowMac, string masterKeyId, CancellationToken cancellationToken = default) => inner.UpdateRowMacAsync(tenantId, id, version, rowMac, masterKeyId, cancellationToken);

    public IAsyncEnumerable<KeyRecord> ListKeyRowsAsync(CancellationToken cancellationToken = default) => inner.ListKeyRowsAsync(cancellationToken);

    public Task<IReadOnlyList<string>> ListMasterKeyIdsInUseAsync(CancellationToken cancellationToken = default) => inner.ListMasterKeyIdsInUseAsync(cancellationToken);

    public Task<IReadOnlyList<MasterKeyUseCount>> CountMasterKeyUsesAsync(CancellationToken cancellationToken = default) => inner.CountMasterKeyUsesAsync(cancellationToken);
}
