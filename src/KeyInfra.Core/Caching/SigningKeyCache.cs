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
    public async ValueTask<SigningKeyLease?> AcquireAsync(Guid tenantId, KeyId keyId, CancellationToken cancellationToken)
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
        if (record.PrivateKey is null)
        {
            ThrowHelper.NoPrivateKey(keyId);
        }

        var handle = await _backends.Get(record.PrivateKey.Backend).OpenAsync(record, cancellationToken).ConfigureAwait(false);
        // The new lease's one reference is the caller's; the cache takes a second one if it keeps the key.
        var lease = new SigningKeyLease(info, handle);
        if (handle.IsCacheable && _ttl > TimeSpan.Zero && Volatile.Read(ref _generation) == generation && _entries.Count < _maxEntries && lease.TryAcquire())
        {
            // Insertions are rare (misses only); a lock keeps a replaced lease released exactly once.
            lock (_gate)
            {
                if (_entries.TryRemove((tenantId, keyId), out var replaced))
                {
                    replaced.Lease.Release();
                }

                _entries[(tenantId, keyId)] = new Entry(lease, now + _ttl.Ticks);
            }
        }

        return lease;
    }

    public void Invalidate(Guid tenantId, KeyId keyId)
    {
        Interlocked.Increment(ref _generation);
        if (_entries.TryRemove((tenantId, keyId), out var removed))
        {
            removed.Lease.Release();
        }
    }

    public void InvalidateAll()
    {
        Interlocked.Increment(ref _generation);
        foreach (var pair in _entries)
        {
            if (_entries.TryRemove(pair.Key, out var removed))
            {
                removed.Lease.Release();
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
