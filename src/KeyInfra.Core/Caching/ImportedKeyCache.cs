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
/// A missing key is loaded once for all concurrent callers (single flight): the first starts the read, the others
/// await it. The stored public key is parsed once and imported into the platform once. A generation counter, bumped
/// by every invalidation, keeps a load that raced an invalidation from re-inserting the stale key: the load reads
/// the generation before it reads storage, and compares and inserts under the lock every invalidation takes, so an
/// invalidation lands either before the comparison (the load inserts nothing) or after the insert (it removes the
/// entry); never between them. Trimming a full cache only removes entries, so it runs outside the lock. An
/// invalidation also detaches the load in flight so later callers read again. Keys are read for verification, so no
/// private key material is loaded. Status and expiry are checked by the caller on every use, against the clock.
/// Evicted key objects are not disposed: a concurrent verification may still hold them, and public keys
/// are not secret, so the finalizer may free them.
/// </remarks>
internal sealed class ImportedKeyCache(IKeyReader reader, IOptions<KeyInfraOptions> options, TimeProvider time, KeyInfraMetrics metrics)
{
    private readonly ConcurrentDictionary<(Guid TenantId, KeyId KeyId), Entry> _entries = new();
    private readonly ConcurrentDictionary<(Guid TenantId, KeyId KeyId), Task<ResolvedKey?>> _loads = new();
    private readonly KeyCacheOptions _options = options.Value.KeyCache;

    // Taken by every invalidation and by the compare-and-insert of a load, never on a hit.
    private readonly Lock _gate = new();
    private long _generation;

    /// <summary>
    /// Test seam: runs after a load has read storage (and trimmed a full cache), just before it compares the generation
    /// and inserts, so a test can land an invalidation at that point deterministically. Null in production.
    /// </summary>
    internal Action<Guid, KeyId>? BeforeInsert { get; set; }

    /// <summary>Returns the key, or <c>null</c> if it does not exist in the tenant.</summary>
    public ValueTask<ResolvedKey?> GetAsync(Guid tenantId, KeyId keyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (_entries.TryGetValue((tenantId, keyId), out var entry) && entry.ExpiresAtTicks > now)
        {
            metrics.CacheHit(KeyInfraInstruments.PublicKeyCache);
            return ValueTask.FromResult(entry.Key);
        }

        metrics.CacheMiss(KeyInfraInstruments.PublicKeyCache);
        return new ValueTask<ResolvedKey?>(JoinLoad((tenantId, keyId)).WaitAsync(cancellationToken));
    }

    /// <summary>Drops the key. Once this returns, no lookup that starts afterwards gets the copy it dropped.</summary>
    public void Invalidate(Guid tenantId, KeyId keyId)
    {
        lock (_gate)
        {
            _generation++;
            _loads.TryRemove((tenantId, keyId), out _);
            _entries.TryRemove((tenantId, keyId), out _);
        }
    }

    /// <summary>Drops every key. Once this returns, no lookup that starts afterwards gets a copy it dropped.</summary>
    public void InvalidateAll()
    {
        lock (_gate)
        {
            _generation++;
            _loads.Clear();
            _entries.Clear();
        }
    }

    public int Count => _entries.Count;

    // Joins the load in flight for the key, or starts one. The load belongs to no caller: one that gives up (its
    // token) stops waiting, never the others' shared read.
    private Task<ResolvedKey?> JoinLoad((Guid TenantId, KeyId KeyId) key)
    {
        while (true)
        {
            if (_loads.TryGetValue(key, out var inFlight))
            {
                return inFlight;
            }

            var load = new TaskCompletionSource<ResolvedKey?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_loads.TryAdd(key, load.Task))
            {
                _ = LoadAsync(key, load);
                return load.Task;
            }
        }
    }

    private async Task LoadAsync((Guid TenantId, KeyId KeyId) key, TaskCompletionSource<ResolvedKey?> load)
    {
        try
        {
            // Read before storage is: an invalidation after this point, however late, keeps this load out of the cache.
            var generation = Volatile.Read(ref _generation);
            var record = await reader.ReadAsync(key.TenantId, key.KeyId, KeyReadPurpose.Verification, CancellationToken.None).ConfigureAwait(false);
            metrics.CacheLoaded(KeyInfraInstruments.PublicKeyCache);
            ResolvedKey? resolved = null;
            TimeSpan ttl;
            if (record is null)
            {
                ttl = _options.NegativeTimeToLive;
            }
            else
            {
                // One strict parse, one platform import.
                var material = KeyRecordMapper.ReadPublicKey(record);
                var verificationKey = VerificationKey.Create(material);
                resolved = new ResolvedKey(KeyRecordMapper.ToInfo(record, material.ToSpki()), verificationKey);
                ttl = _options.TimeToLive;
            }

            if (ttl > TimeSpan.Zero)
            {
                var now = time.GetUtcNow().UtcTicks;
                if (_entries.Count >= _options.MaxEntries)
                {
                    Trim(now);
                }

                BeforeInsert?.Invoke(key.TenantId, key.KeyId);
                lock (_gate)
                {
                    if (_generation == generation)
                    {
                        _entries[key] = new Entry(resolved, now + ttl.Ticks);
                    }
                }
            }

            load.SetResult(resolved);
        }
        catch (Exception ex)
        {
            load.SetException(ex);
        }
        finally
        {
            // Only this load: an invalidation may have replaced it with a newer one.
            _loads.TryRemove(new KeyValuePair<(Guid, KeyId), Task<ResolvedKey?>>(key, load.Task));
        }
    }

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
