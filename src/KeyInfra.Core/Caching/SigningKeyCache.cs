using System.Collections.Concurrent;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.PrivateKeys;
using KeyInfra.Storage;
using Microsoft.Extensions.Options;

namespace KeyInfra.Caching;

/// <summary>
/// Opened private keys kept for <see cref="KeyCacheOptions.SigningKeyTimeToLive"/>, so signing does not unwrap a
/// data key on every call. Keys are opened by the backend the stored private key names; only handles that say they
/// may be cached are kept, the others are opened for one signature. Evicted handles are disposed (a software key
/// zeroed) once no signature is using them.
/// </summary>
/// <remarks>
/// A load reads the generation before it reads storage, and compares it and inserts under the lock every invalidation
/// takes, so an invalidation that lands while a key is being read or opened keeps that key out of the cache. The caller
/// checks the key read from storage (status, expiry) before it is opened, so a revoked key is never decrypted.
/// </remarks>
internal sealed class SigningKeyCache : IDisposable
{
    private readonly ConcurrentDictionary<(Guid TenantId, KeyId KeyId), Entry> _entries = new();
    private readonly Lock _gate = new();
    private readonly IKeyReader _reader;
    private readonly PrivateKeyBackendRegistry _backends;
    private readonly TimeProvider _time;
    private readonly KeyInfraMetrics _metrics;
    private readonly TimeSpan _ttl;
    private readonly int _maxEntries;
    private readonly ITimer? _sweeper;
    private long _generation;

    /// <summary>
    /// Test seam: runs after a load has opened the key, just before it compares the generation and inserts, so a test
    /// can land an invalidation at that point deterministically. Null in production.
    /// </summary>
    internal Action<Guid, KeyId>? BeforeInsert { get; set; }

    public SigningKeyCache(IKeyReader reader, PrivateKeyBackendRegistry backends, IOptions<KeyInfraOptions> options, TimeProvider time, KeyInfraMetrics metrics)
    {
        _metrics = metrics;
        _reader = reader;
        _backends = backends;
        _time = time;
        _ttl = options.Value.KeyCache.SigningKeyTimeToLive;
        _maxEntries = options.Value.KeyCache.MaxEntries;
        if (_ttl > TimeSpan.Zero)
        {
            // Expired keys are zeroed by a sweep, not only when next asked for: the TTL bounds how long
            // a decrypted key stays in memory.
            var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, _ttl.Ticks / 2));
            _sweeper = time.CreateTimer(static state => ((SigningKeyCache)state!).Sweep(), this, period, period);
        }
    }

    /// <summary>
    /// Returns an acquired lease on the key (release it when done), or <c>null</c> if there is no such key.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="keyId">The key.</param>
    /// <param name="beforeOpen">
    /// Checks the key as just read from storage, before its private key is opened (decrypted); it throws to refuse.
    /// Not called for a cached key (the caller checks the lease's <see cref="SigningKeyLease.Info"/>).
    /// </param>
    /// <param name="cancellationToken">Cancels the read and the open.</param>
    public async ValueTask<SigningKeyLease?> AcquireAsync(Guid tenantId, KeyId keyId, Action<KeyInfo> beforeOpen, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (_entries.TryGetValue((tenantId, keyId), out var entry) && entry.ExpiresAtTicks > now && entry.Lease.TryAcquire())
        {
            _metrics.CacheHit(KeyInfraInstruments.SigningKeyCache);
            return entry.Lease;
        }

        _metrics.CacheMiss(KeyInfraInstruments.SigningKeyCache);
        var generation = Volatile.Read(ref _generation);
        var record = await _reader.ReadAsync(tenantId, keyId, KeyReadPurpose.Signing, cancellationToken).ConfigureAwait(false);
        _metrics.CacheLoaded(KeyInfraInstruments.SigningKeyCache);
        if (record is null)
        {
            return null;
        }

        var info = KeyRecordMapper.ToInfo(record);
        beforeOpen(info);
        if (record.PrivateKey is null)
        {
            ThrowHelper.NoPrivateKey(keyId);
        }

        var handle = await _backends.Get(record.PrivateKey.Backend).OpenAsync(record, cancellationToken).ConfigureAwait(false);
        // The new lease's one reference is the caller's; the cache takes a second one if it keeps the key.
        var lease = new SigningKeyLease(info, handle);
        if (handle.IsCacheable && _ttl > TimeSpan.Zero && _entries.Count < _maxEntries)
        {
            BeforeInsert?.Invoke(tenantId, keyId);

            // Insertions are rare (misses only). The lock makes the generation check and the insert one step as far as
            // invalidations are concerned, and keeps a replaced lease released exactly once.
            lock (_gate)
            {
                if (_generation == generation && lease.TryAcquire())
                {
                    if (_entries.TryRemove((tenantId, keyId), out var replaced))
                    {
                        replaced.Lease.Release();
                    }

                    _entries[(tenantId, keyId)] = new Entry(lease, now + _ttl.Ticks);
                }
            }
        }

        return lease;
    }

    /// <summary>Drops the key. Once this returns, no signature that starts afterwards uses the copy it dropped.</summary>
    public void Invalidate(Guid tenantId, KeyId keyId)
    {
        lock (_gate)
        {
            _generation++;
            if (_entries.TryRemove((tenantId, keyId), out var removed))
            {
                removed.Lease.Release();
            }
        }
    }

    /// <summary>Drops every key. Once this returns, no signature that starts afterwards uses a copy it dropped.</summary>
    public void InvalidateAll()
    {
        lock (_gate)
        {
            _generation++;
            foreach (var pair in _entries)
            {
                if (_entries.TryRemove(pair.Key, out var removed))
                {
                    removed.Lease.Release();
                }
            }
        }
    }

    public void Dispose()
    {
        _sweeper?.Dispose();
        InvalidateAll();
    }

    private void Sweep()
    {
        var now = _time.GetUtcNow().UtcTicks;
        foreach (var pair in _entries)
        {
            if (pair.Value.ExpiresAtTicks <= now && _entries.TryRemove(new KeyValuePair<(Guid, KeyId), Entry>(pair.Key, pair.Value)))
            {
                pair.Value.Lease.Release();
            }
        }
    }

    private sealed record Entry(SigningKeyLease Lease, long ExpiresAtTicks);
}
