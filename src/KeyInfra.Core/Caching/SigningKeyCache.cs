using System.Collections.Concurrent;
using System.Security.Cryptography;
using KeyInfra.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.Caching;

/// <summary>
/// Decrypted private keys kept for <see cref="KeyCacheOptions.SigningKeyTimeToLive"/>, so signing does not
/// unwrap a data key on every call. Evicted keys are zeroed once no signature is using them.
/// </summary>
internal sealed class SigningKeyCache : IDisposable
{
    private readonly ConcurrentDictionary<(Guid TenantId, KeyId KeyId), Entry> _entries = new();
    private readonly Lock _gate = new();
    private readonly IKeyRepository _repository;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly KeyInfraMetrics _metrics;
    private readonly TimeSpan _ttl;
    private readonly int _maxEntries;
    private readonly ITimer? _sweeper;
    private long _generation;

    public SigningKeyCache(IKeyRepository repository, IServiceProvider services, IOptions<KeyInfraOptions> options, TimeProvider time, ILogger<SigningKeyCache> logger, KeyInfraMetrics metrics)
    {
        _metrics = metrics;
        _repository = repository;
        _services = services;
        _time = time;
        _logger = logger;
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
        var record = await _repository.FindAsync(tenantId, keyId, cancellationToken).ConfigureAwait(false);
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

        var key = await DecryptAsync(record, record.PrivateKey, cancellationToken).ConfigureAwait(false);
        // The new lease's one reference is the caller's; the cache takes a second one if it keeps the key.
        var lease = new SigningKeyLease(info, key);
        if (_ttl > TimeSpan.Zero && Volatile.Read(ref _generation) == generation && _entries.Count < _maxEntries && lease.TryAcquire())
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

    private async ValueTask<SigningKey> DecryptAsync(KeyRecord record, PrivateKeyRecord privateKey, CancellationToken cancellationToken)
    {
        byte[] pkcs8;
        switch (privateKey.Protection)
        {
            case PrivateKeyProtection.None:
                Log.PlaintextPrivateKey(_logger, record.Id);
                pkcs8 = (byte[])privateKey.Material.Clone();
                break;
            case PrivateKeyProtection.Envelope:
                if (_services.GetService<IEncryptionKeyProvider>() is null)
                {
                    ThrowHelper.NoMasterKeySource();
                }

                pkcs8 = await _services.GetRequiredService<IEnvelopeEncryptor>().DecryptAsync(privateKey.Material, EncryptionContexts.ForPrivateKey(record.TenantId, record.Id), cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new NotSupportedException($"Key {record.Id} is held in an HSM; register KeyInfra.Pkcs11 (AddPkcs11) to sign with it.");
        }

        try
        {
            return SigningKey.ImportPkcs8(record.Spec, pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private sealed record Entry(SigningKeyLease Lease, long ExpiresAtTicks);
}
