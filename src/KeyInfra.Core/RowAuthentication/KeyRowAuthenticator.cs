using System.Security.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;

namespace KeyInfra.RowAuthentication;

/// <summary>
/// Makes and checks key row MACs: HMAC-SHA256 under the master key's <see cref="MasterKeyPurpose.RowAuthentication"/>
/// subkey over <see cref="KeyRowEncoding"/>. Every write of a key row is sealed here first, and every row read from
/// storage is checked here before anything is cached or used; a row that fails is refused with
/// <see cref="KeyTamperedException"/> and an Error event naming the key.
/// </summary>
/// <remarks>
/// Without a master key source there is nothing to authenticate with: rows are written without a MAC and read
/// unchecked, and a Warning says so once. Thread-safe; each call leases the ring for its own length.
/// </remarks>
internal sealed class KeyRowAuthenticator : IKeyRowAuthenticator
{
    private const int MacSize = 32;
    private const int WriteAttempts = 2;

    private readonly IEncryptionKeyProvider? _keyProvider;
    private readonly MasterKeyValidator? _validator;
    private readonly IKeyRepository _keys;
    private readonly ILogger<KeyRowAuthenticator> _logger;
    private int _unavailableLogged;

    public KeyRowAuthenticator(IEncryptionKeyProvider? keyProvider, MasterKeyValidator? validator, IKeyRepository keys, ILogger<KeyRowAuthenticator> logger)
    {
        _keyProvider = keyProvider;
        _validator = validator;
        _keys = keys;
        _logger = logger;
    }

    /// <summary>The record with its MAC under the current master key (unchanged without a master key source).</summary>
    public async ValueTask<KeyRecord> SealAsync(KeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_keyProvider is null || _validator is null)
        {
            LogUnavailable();
            return record with { RowMac = null, RowMacMasterKeyId = null };
        }

        using var lease = await _keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        await _validator.EnsureValidatedAsync(lease.Ring, cancellationToken).ConfigureAwait(false);
        return Seal(record, lease.Ring.Current);
    }

    /// <summary>The record if its row is authentic (or unauthenticated on a migrating database); <c>null</c> stays <c>null</c>.</summary>
    /// <exception cref="KeyTamperedException">The row failed authentication.</exception>
    public async ValueTask<KeyRecord?> CheckAsync(KeyRecord? record, CancellationToken cancellationToken)
    {
        if (record is null)
        {
            return null;
        }

        if (_keyProvider is null || _validator is null)
        {
            LogUnavailable();
            return record;
        }

        using var lease = await MasterKeyLeases.WithKeyAsync(
            _keyProvider, await _keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false), record.RowMacMasterKeyId, cancellationToken).ConfigureAwait(false);
        var state = await _validator.EnsureValidatedAsync(lease.Ring, cancellationToken).ConfigureAwait(false);
        Check(record, lease.Ring, state);
        return record;
    }

    /// <summary>Checks every record of a list; the first that fails throws (a list never comes back in part).</summary>
    public async ValueTask<IReadOnlyList<KeyRecord>> CheckAllAsync(IReadOnlyList<KeyRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0 || _keyProvider is null || _validator is null)
        {
            if (records.Count > 0)
            {
                LogUnavailable();
            }

            return records;
        }

        using var lease = await MasterKeyLeases.WithKeysAsync(
            _keyProvider, await _keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false), records.Select(r => r.RowMacMasterKeyId), cancellationToken).ConfigureAwait(false);
        var state = await _validator.EnsureValidatedAsync(lease.Ring, cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            Check(record, lease.Ring, state);
        }

        return records;
    }

    public async Task<KeyRowAuthenticationSummary> AuthenticateAllAsync(IProgress<KeyRowAuthenticationSummary>? progress = null, CancellationToken cancellationToken = default)
    {
        if (_keyProvider is null || _validator is null)
        {
            ThrowHelper.NoMasterKeySource();
        }

        var counts = new Counts();
        string currentId;
        bool strict;
        await using (var lease = await _keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false))
        {
            var ring = lease.Ring;
            currentId = ring.Current.Id;
            var state = await _validator.EnsureValidatedAsync(ring, cancellationToken).ConfigureAwait(false);
            await foreach (var row in _keys.ListKeyRowsAsync(cancellationToken).ConfigureAwait(false))
            {
                await AuthenticateRowAsync(row, ring, state, counts, cancellationToken).ConfigureAwait(false);
                if (progress is not null && counts.Examined % 100 == 0)
                {
                    progress.Report(counts.ToSummary(currentId, state == KeyRowState.Strict));
                }
            }

            strict = state == KeyRowState.Strict;
            if (!strict && counts.Refused == 0 && counts.Conflicts == 0)
            {
                strict = await _validator.MarkRowsAuthenticatedAsync(ring, cancellationToken).ConfigureAwait(false);
            }
        }

        var summary = counts.ToSummary(currentId, strict);
        Log.KeyRowAuthenticationCompleted(_logger, summary.Examined, summary.Authenticated, summary.Reauthenticated, summary.Refused, currentId);
        progress?.Report(summary);
        return summary;
    }

    private async Task AuthenticateRowAsync(KeyRecord row, MasterKeyRing ring, KeyRowState state, Counts counts, CancellationToken cancellationToken)
    {
        counts.Examined++;
        var current = ring.Current;
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            var verdict = Judge(row, ring, state);
            if (verdict.Failure is { } failure)
            {
                Refuse(row, failure);
                counts.Refused++;
                if (counts.RefusedKeyIds.Count < KeyRowAuthenticationSummary.MaxRefusedKeyIds)
                {
                    counts.RefusedKeyIds.Add(row.Id);
                }

                return;
            }

            if (verdict.Key is { } key && ReferenceEquals(key, current))
            {
                counts.Unchanged++;
                return;
            }

            var sealedRow = Seal(row, current);
            if (await _keys.UpdateRowMacAsync(row.TenantId, row.Id, row.Version, sealedRow.RowMac!, current.Id, cancellationToken).ConfigureAwait(false))
            {
                if (row.RowMac is null)
                {
                    counts.Authenticated++;
                }
                else
                {
                    counts.Reauthenticated++;
                }

                return;
            }

            // Changed (or deleted) since it was listed: judge the row as it is now.
            if (await _keys.FindAsync(row.TenantId, row.Id, includePrivateKey: false, cancellationToken).ConfigureAwait(false) is not { } reread)
            {
                counts.Examined--;
                return;
            }

            row = reread;
        }

        counts.Conflicts++;
    }

    private static KeyRecord Seal(KeyRecord record, MasterKey key)
    {
        var unsealed = record with { RowMac = null, RowMacMasterKeyId = null };
        return unsealed with { RowMac = ComputeMac(unsealed, key), RowMacMasterKeyId = key.Id };
    }

    private void Check(KeyRecord record, MasterKeyRing ring, KeyRowState state)
    {
        var verdict = Judge(record, ring, state);
        if (verdict.Failure is { } failure)
        {
            Refuse(record, failure);
            throw ThrowHelper.KeyTampered(record.Id, failure);
        }

        if (verdict.Key is null)
        {
            Log.KeyRowUnauthenticated(_logger, record.Id, record.TenantId);
        }
    }

    // Key set: authentic under that key. Neither: no MAC on a migrating database. Failure: refused, and why.
    private static (MasterKey? Key, string? Failure) Judge(KeyRecord record, MasterKeyRing ring, KeyRowState state)
    {
        if (record.RowMac is null && record.RowMacMasterKeyId is null)
        {
            return state == KeyRowState.Migrating ? (null, null) : (null, "it has no MAC, and every key row of this database is authenticated");
        }

        if (record.RowMac is not { Length: MacSize } mac || record.RowMacMasterKeyId is not { } masterKeyId)
        {
            return (null, "its MAC or the MAC's master key id is missing or malformed");
        }

        if (ring.Find(masterKeyId) is not { } key)
        {
            return (null, $"its MAC was made by master key '{masterKeyId}', which the key source does not provide; if that key is genuine, add it to the previous master keys and run 'keys authenticate'");
        }

        return CryptographicOperations.FixedTimeEquals(ComputeMac(record, key), mac)
            ? (key, null)
            : (null, "its MAC does not match its fields");
    }

    private static byte[] ComputeMac(KeyRecord record, MasterKey key)
    {
        var encoded = KeyRowEncoding.Encode(record);
        return HMACSHA256.HashData(key.Subkey(MasterKeyPurpose.RowAuthentication), encoded);
    }

    private void Refuse(KeyRecord record, string reason) => Log.KeyRowRefused(_logger, record.Id, record.TenantId, reason);

    private void LogUnavailable()
    {
        if (Interlocked.Exchange(ref _unavailableLogged, 1) == 0)
        {
            Log.KeyRowAuthenticationUnavailable(_logger);
        }
    }

    private sealed class Counts
    {
        public long Examined;
        public long Authenticated;
        public long Reauthenticated;
        public long Unchanged;
        public long Refused;
        public long Conflicts;
        public readonly List<KeyId> RefusedKeyIds = [];

        public KeyRowAuthenticationSummary ToSummary(string masterKeyId, bool strict) => new()
        {
            Examined = Examined,
            Authenticated = Authenticated,
            Reauthenticated = Reauthenticated,
            Unchanged = Unchanged,
            Refused = Refused,
            Conflicts = Conflicts,
            RefusedKeyIds = [.. RefusedKeyIds],
            Strict = strict,
            MasterKeyId = masterKeyId,
        };
    }
}
