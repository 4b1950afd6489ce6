using System.Collections.Concurrent;
using KeyInfra.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.Extensions.Options;

namespace KeyInfra.Caching;

/// <summary>
/// The in-process cache of imported public keys: a warm verification touches no database and parses nothing.
/// </summary>
/// <remarks>
/// Entries live for <see cref="KeyCacheOptions.TimeToLive"/>; unknown ids are remembered for
/// <see cref="KeyCacheOptions.NegativeTimeToLive"/> so a flood of unknown ids cannot hammer the database.
/// A generation counter, bumped by every invalidation, keeps a load that raced an invalidation from
/// re-inserting the stale key. Status and expiry are checked by the caller on every use, against the clock.
/// Evicted key objects are not disposed: a concurrent verification may still hold them, and public keys
/// are not secret, so the finalizer may free them.
/// </remarks>
internal sealed class ImportedKeyCache(IKeyRepository repository, IOptions<KeyInfraOptions> options, TimeProvider time, KeyInfraMetrics metrics)
{
    private readonly ConcurrentDictionary<(Guid TenantId, KeyId KeyId), Entry> _entries = new();
    private readonly KeyCacheOptions _options = options.Value.KeyCache;
    private long _generation;

    /// <summary>Returns the key, or <c>null</c> if it does not exist in the tenant.</summary>
    public async ValueTask<ResolvedKey?> GetAsync(Guid tenantId, KeyId keyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (_entries.TryGetValue((tenantId, keyId), out var entry) && entry.ExpiresAtTicks > now)
        {
            metrics.CacheHit(KeyInfraInstruments.PublicKeyCache);
            return entry.Key;
        }

        metrics.CacheMiss(KeyInfraInstruments.PublicKeyCache);
        var generation = Volatile.Read(ref _generation);
        var record = await repository.FindAsync(tenantId, keyId, cancellationToken).ConfigureAwait(false);
        metrics.CacheLoaded(KeyInfraInstruments.PublicKeyCache);
        ResolvedKey? resolved = null;
        TimeSpan ttl;
        if (record is null)
        {
            ttl = _options.NegativeTimeToLive;
        }
        else
        {
            var decoded = KeyRecordMapper.Decode(record);
            resolved = new ResolvedKey(KeyRecordMapper.ToInfo(record, decoded), VerificationKey.Create(decoded.Spec, decoded.Spki));
            ttl = _options.TimeToLive;
        }

        if (ttl > TimeSpan.Zero && Volatile.Read(ref _generation) == generation)
        {
            if (_entries.Count >= _options.MaxEntries)
            {
                Trim(now);
            }

            _entries[(tenantId, keyId)] = new Entry(resolved, now + ttl.Ticks);
        }

        return resolved;
    }

    public void Invalidate(Guid tenantId, KeyId keyId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove((tenantId, keyId), out _);
    }

    public void InvalidateAll()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    public int Count => _entries.Count;

    // Drops expired entries first; if the cache is still full, drops about a tenth of it. Cheap and
    // bounded; an LRU is not worth its per-hit bookkeeping on the hot path.
    private void Trim(long now)
    {
        foreach (var pair in _entries)
        {
            if (pair.Value.ExpiresAtTicks <= now)
            {
                _entries.TryRemove(pair.Key, out _);
            }
        }

        var excess = _entries.Count - (_options.MaxEntries * 9 / 10);
        foreach (var pair in _entries)
        {
            if (excess-- <= 0)
            {
                break;
            }

            _entries.TryRemove(pair.Key, out _);
        }
    }

    private sealed record Entry(ResolvedKey? Key, long ExpiresAtTicks);
}
