using System.Security.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.RowAuthentication;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Encryption;

/// <summary>
/// Checks that the configured master keys fit the database: the current key matches its stored check value, and
/// every master key that wrapped stored data is available and matches its check value. Only then is the current
/// key's check value stored, if it is new. Nothing is written before that. The check runs again whenever the
/// source's current key changes (another id, or other bytes under the same id).
/// </summary>
/// <remarks>
/// <para>
/// The current key's check value also carries the database's row authentication state (<see cref="KeyRowState"/>,
/// <see cref="MasterKeyCheckValue"/>): a new database, or one whose checks were all deleted, is strict; a key new to a
/// database inherits the state of the checks the ring verifies; only a verified v1 check (an older release) or a
/// verified v2 check without the strict flag makes it migrating.
/// </para>
/// <para>
/// Thread-safe. A successful run is remembered for its current key; a failed or cancelled one is retried on the
/// next call, so a host whose key source was briefly unreachable recovers. A run holds its own lease on the ring
/// it checks. Logs key ids only.
/// </para>
/// </remarks>
internal sealed class MasterKeyValidator(
    IEncryptionKeyProvider keyProvider,
    IMasterKeyRepository masterKeys,
    IKeyRepository keys,
    TimeProvider timeProvider,
    ILogger<MasterKeyValidator> logger)
{
    private readonly IEncryptionKeyProvider _keyProvider = keyProvider;
    private readonly IMasterKeyRepository _masterKeys = masterKeys;
    private readonly IKeyRepository _keys = keys;
    private readonly TimeProvider _timeProvider = timeProvider;
    private readonly ILogger<MasterKeyValidator> _logger = logger;
    private const int MaxRemembered = 16;

    private readonly Lock _lock = new();

    // The latest run per current key id: while a refresh is under way, operations on the old and the new ring
    // both find their own key's run instead of taking turns to start new ones.
    private readonly Dictionary<string, Validation> _validations = new(StringComparer.Ordinal);

    /// <summary>Completes when the source's current ring is validated; throws if it is not.</summary>
    /// <returns>The database's row authentication state, as the current key's check value says.</returns>
    /// <exception cref="MasterKeyException">KI2001–KI2005: see the message for what to do.</exception>
    public async Task<KeyRowState> EnsureValidatedAsync(CancellationToken cancellationToken = default)
    {
        MasterKeyRingLease lease;
        try
        {
            lease = await _keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MasterKeyException e)
        {
            Log.MasterKeyValidationFailed(_logger, e.ErrorCode);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
        {
            var failed = SourceFailed(e);
            Log.MasterKeyValidationFailed(_logger, failed.ErrorCode);
            throw failed;
        }

        using (lease)
        {
            return await EnsureValidatedAsync(lease.Ring, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Completes when <paramref name="ring"/>'s current key is validated; throws if it is not. The caller holds a
    /// lease on the ring for the length of the call.
    /// </summary>
    /// <exception cref="MasterKeyException">KI2003–KI2004: see the message for what to do.</exception>
    public Task<KeyRowState> EnsureValidatedAsync(MasterKeyRing ring, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var current = ring.Current;
        var checkValue = current.ComputeCheckValue();
        Task<KeyRowState> validation;
        lock (_lock)
        {
            if (_validations.TryGetValue(current.Id, out var last) && !last.Task.IsFaulted && !last.Task.IsCanceled && last.Matches(checkValue))
            {
                validation = last.Task;
            }
            else
            {
                // The run holds a lease of its own: it is shared, and must not lose its keys when the caller that
                // started it gives up. Not tied to one caller's token either, for the same reason.
                var lease = ring.TryLease() ?? throw new ObjectDisposedException(nameof(MasterKeyRing), "The master key ring was released; validate while holding a lease on it.");
                if (_validations.Count >= MaxRemembered)
                {
                    _validations.Clear();
                }

                validation = ValidateAsync(lease);
                _validations[current.Id] = new Validation(checkValue, validation);
            }
        }

        return validation.IsCompletedSuccessfully ? validation : validation.WaitAsync(cancellationToken);
    }

    private async Task<KeyRowState> ValidateAsync(MasterKeyRingLease lease)
    {
        try
        {
            using (lease)
            {
                return await ValidateCoreAsync(lease.Ring).ConfigureAwait(false);
            }
        }
        catch (MasterKeyException e)
        {
            Log.MasterKeyValidationFailed(_logger, e.ErrorCode);
            throw;
        }
    }

    private async Task<KeyRowState> ValidateCoreAsync(MasterKeyRing ring)
    {
        var current = ring.Current;
        var checks = (await _masterKeys.ListAsync().ConfigureAwait(false))
            .ToDictionary(c => c.KeyId, StringComparer.Ordinal);

        var currentReading = checks.TryGetValue(current.Id, out var currentCheck) ? MasterKeyCheckValue.Read(current, currentCheck.CheckValue) : (CheckValueReading?)null;
        if (currentReading == CheckValueReading.UnknownFlags)
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyCheckFailed,
                $"The stored check value of master key '{current.Id}' carries database flags this release does not know: a newer release of KeyInfra wrote it. " +
                "Run that release (or newer) on this database. Nothing was written.");
        }

        if (currentCheck is not null && currentReading is { Matches: false })
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyCheckFailed,
                $"The configured master key '{current.Id}' is not the one that encrypted this database: a key with that id was used here before, " +
                "and its stored check value does not match. Configure the original key (KEYINFRA_MASTER_KEY for the environment source), " +
                "or, when rotating, give the new key a new id (leave KEYINFRA_MASTER_KEY_ID unset to use the key's fingerprint) and move the old key to KEYINFRA_PREVIOUS_MASTER_KEYS. Nothing was written.");
        }

        if (currentReading is { Retired: true })
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyRetired,
                $"The configured current master key '{current.Id}' was retired on this database ('master-key retire'): nothing may be wrapped or " +
                "authenticated under it again. Configure the key that replaced it as the current key (the retired one can be deleted from its source). Nothing was written.");
        }

        var idsInUse = await _keys.ListMasterKeyIdsInUseAsync().ConfigureAwait(false);
        var missing = new List<string>();
        var mismatched = new List<string>();
        foreach (var id in idsInUse)
        {
            var key = ring.Find(id);
            if (key is null)
            {
                missing.Add(id);
            }
            else if (checks.TryGetValue(id, out var check) && !key.MatchesCheckValue(check.CheckValue))
            {
                mismatched.Add(id);
            }
        }

        if (missing.Count > 0 || mismatched.Count > 0)
        {
            throw new MasterKeyException(ErrorCodes.MasterKeyUnavailable, DescribeUnavailable(current.Id, missing, mismatched));
        }

        KeyRowState state;
        if (currentReading is { } reading)
        {
            // v1: an older release used this key here, so rows without a MAC may be legitimate: migrating.
            state = reading.Strict ? KeyRowState.Strict : KeyRowState.Migrating;
        }
        else
        {
            // A key new to this database inherits the state from the checks this ring can verify; with none (a new
            // database, or every check deleted) the database is strict. A check that no key of the ring verifies is
            // ignored: it proves nothing, so it can never make the database less strict.
            state = InheritedState(ring, checks.Values);
            var flags = state == KeyRowState.Strict ? CheckValueFlags.RowsAuthenticated : CheckValueFlags.None;
            await _masterKeys.AddAsync(new MasterKeyCheck(current.Id, MasterKeyCheckValue.CreateV2(current, flags), _timeProvider.GetUtcNow())).ConfigureAwait(false);

            // The add keeps the first check of an id: another instance that started at the same time with another key under
            // the same explicit id may have won. Read back, and go on only if the stored check is this key's.
            var stored = (await _masterKeys.ListAsync().ConfigureAwait(false)).FirstOrDefault(c => string.Equals(c.KeyId, current.Id, StringComparison.Ordinal));
            if (stored is null || !current.MatchesCheckValue(stored.CheckValue))
            {
                throw new MasterKeyException(
                    ErrorCodes.MasterKeyCheckFailed,
                    $"Another instance stored a different master key under the id '{current.Id}' at the same time as this one: the database now holds " +
                    "that key's check value, not this one's. Give every instance the same master key, or give different keys different ids " +
                    "(leave KEYINFRA_MASTER_KEY_ID unset to use each key's fingerprint). Nothing was written under this key.");
            }

            Log.MasterKeyCheckAdded(_logger, current.Id);
        }

        Log.MasterKeyValidated(_logger, current.Id, idsInUse.Count == 0 ? "none" : string.Join(", ", idsInUse));
        if (state == KeyRowState.Strict)
        {
            Log.KeyRowsStrict(_logger, current.Id);
        }
        else
        {
            Log.KeyRowsMigrating(_logger, current.Id);
        }

        return state;
    }

    /// <summary>
    /// Records that every key row is authenticated: each stored check that a key of <paramref name="ring"/> verifies
    /// is replaced by its v2 value with the strict flag (only if it is still the value read, compare-and-set), so that
    /// no check of a key in use says "migrating" any more. The next validation of every key reads the strict state.
    /// </summary>
    /// <returns><c>true</c> if the current key's check now says strict.</returns>
    public async Task<bool> MarkRowsAuthenticatedAsync(MasterKeyRing ring, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var currentStrict = false;
        foreach (var check in await _masterKeys.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (ring.Find(check.KeyId) is not { } key)
            {
                continue;
            }

            var reading = MasterKeyCheckValue.Read(key, check.CheckValue);
            if (!reading.Matches)
            {
                continue;
            }

            // The other flags (retired) stay as they are.
            var flags = (reading.Version == 2 ? reading.Flags : CheckValueFlags.None) | CheckValueFlags.RowsAuthenticated;
            var strict = reading.Strict
                || await _masterKeys.ReplaceAsync(check.KeyId, check.CheckValue, MasterKeyCheckValue.CreateV2(key, flags), cancellationToken).ConfigureAwait(false);
            if (strict && ReferenceEquals(key, ring.Current))
            {
                currentStrict = true;
            }
        }

        lock (_lock)
        {
            // Every remembered run read the old state.
            _validations.Clear();
        }

        if (currentStrict)
        {
            Log.KeyRowsMarkedStrict(_logger, ring.Current.Id);
        }

        return currentStrict;
    }

    /// <summary>
    /// Records that <paramref name="key"/> is retired: its check value gets the retired flag (keeping its other flags;
    /// compare-and-set), or a new check with it (and the database's <paramref name="state"/>) is stored when the database
    /// never saw the key. The caller has checked that nothing uses the key and that it is not the current one.
    /// </summary>
    /// <returns><c>true</c> if the key is now retired; <c>false</c> if its check changed meanwhile (run again) or is another key's.</returns>
    public async Task<bool> MarkRetiredAsync(MasterKey key, KeyRowState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var check = (await _masterKeys.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => string.Equals(c.KeyId, key.Id, StringComparison.Ordinal));
        bool retired;
        if (check is null)
        {
            // A new check carries the database's state too, so that no reading of it can weaken the database.
            var flags = CheckValueFlags.Retired | (state == KeyRowState.Strict ? CheckValueFlags.RowsAuthenticated : CheckValueFlags.None);
            await _masterKeys.AddAsync(new MasterKeyCheck(key.Id, MasterKeyCheckValue.CreateV2(key, flags), _timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            var stored = (await _masterKeys.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => string.Equals(c.KeyId, key.Id, StringComparison.Ordinal));
            retired = stored is not null && MasterKeyCheckValue.Read(key, stored.CheckValue).Retired;
        }
        else
        {
            var reading = MasterKeyCheckValue.Read(key, check.CheckValue);
            if (!reading.Matches)
            {
                return false;
            }

            retired = reading.Retired || await _masterKeys.ReplaceAsync(
                check.KeyId, check.CheckValue, MasterKeyCheckValue.CreateV2(key, (reading.Version == 2 ? reading.Flags : CheckValueFlags.None) | CheckValueFlags.Retired), cancellationToken).ConfigureAwait(false);
        }

        lock (_lock)
        {
            _validations.Clear();
        }

        return retired;
    }

    private static KeyRowState InheritedState(MasterKeyRing ring, IEnumerable<MasterKeyCheck> checks)
    {
        var migrating = false;
        foreach (var check in checks)
        {
            if (ring.Find(check.KeyId) is not { } key)
            {
                continue;
            }

            var reading = MasterKeyCheckValue.Read(key, check.CheckValue);
            if (reading.Strict)
            {
                return KeyRowState.Strict;
            }

            // A retired key's check says nothing about the rows any more (it may have been made for a key this database
            // never used): it can never make the database less strict.
            migrating |= reading.Matches && !reading.Retired;
        }

        return migrating ? KeyRowState.Migrating : KeyRowState.Strict;
    }

    private static MasterKeyException SourceFailed(Exception inner) => new(
        ErrorCodes.MasterKeySourceFailed,
        $"The master key source ({inner.GetType().Name}) failed while loading the master keys; see the inner exception. " +
        "Check that the source is reachable and its credentials are valid. Nothing was written.",
        inner);

    private static string DescribeUnavailable(string currentId, List<string> missing, List<string> mismatched)
    {
        var message = "Stored private keys are encrypted under master keys the configured key source cannot open";
        if (missing.Count > 0)
        {
            message += $"; not provided: {string.Join(", ", missing.Select(id => $"'{id}'"))}";
        }

        if (mismatched.Count > 0)
        {
            message += $"; provided, but not matching their stored check values (a different key with the same id): {string.Join(", ", mismatched.Select(id => $"'{id}'"))}";
        }

        return message + $". The current key is '{currentId}'. Supply the original keys: for the environment source, add them to " +
               "KEYINFRA_PREVIOUS_MASTER_KEYS (comma-separated, each as 'id:key' if it had an explicit id), or put the original key back in " +
               "KEYINFRA_MASTER_KEY. Then run 'reencrypt' to re-wrap everything under the current key. Nothing was written.";
    }

    /// <summary>A validation run and the check value of the current key it checks (new bytes under an old id count as a change).</summary>
    private sealed record Validation(byte[] CheckValue, Task<KeyRowState> Task)
    {
        public bool Matches(byte[] checkValue) => CryptographicOperations.FixedTimeEquals(CheckValue, checkValue);
    }
}
