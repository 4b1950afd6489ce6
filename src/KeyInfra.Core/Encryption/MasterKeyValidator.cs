using System.Security.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
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
/// Thread-safe. A successful run is remembered for its current key; a failed or cancelled one is retried on the
/// next call, so a host whose key source was briefly unreachable recovers. A run holds its own lease on the ring
/// it checks. Logs key ids only.
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
    /// <exception cref="MasterKeyException">KI2001–KI2005: see the message for what to do.</exception>
    public async Task EnsureValidatedAsync(CancellationToken cancellationToken = default)
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
            await EnsureValidatedAsync(lease.Ring, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Completes when <paramref name="ring"/>'s current key is validated; throws if it is not. The caller holds a
    /// lease on the ring for the length of the call.
    /// </summary>
    /// <exception cref="MasterKeyException">KI2003–KI2004: see the message for what to do.</exception>
    public Task EnsureValidatedAsync(MasterKeyRing ring, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var current = ring.Current;
        var checkValue = current.ComputeCheckValue();
        Task validation;
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

    private async Task ValidateAsync(MasterKeyRingLease lease)
    {
        try
        {
            using (lease)
            {
                await ValidateCoreAsync(lease.Ring).ConfigureAwait(false);
            }
        }
        catch (MasterKeyException e)
        {
            Log.MasterKeyValidationFailed(_logger, e.ErrorCode);
            throw;
        }
    }

    private async Task ValidateCoreAsync(MasterKeyRing ring)
    {
        var current = ring.Current;
        var checks = (await _masterKeys.ListAsync().ConfigureAwait(false))
            .ToDictionary(c => c.KeyId, StringComparer.Ordinal);

        if (checks.TryGetValue(current.Id, out var currentCheck) && !current.MatchesCheckValue(currentCheck.CheckValue))
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyCheckFailed,
                $"The configured master key '{current.Id}' is not the one that encrypted this database: a key with that id was used here before, " +
                "and its stored check value does not match. Configure the original key (KEYINFRA_MASTER_KEY for the environment source), " +
                "or, when rotating, give the new key a new id (leave KEYINFRA_MASTER_KEY_ID unset to use the key's fingerprint) and move the old key to KEYINFRA_PREVIOUS_MASTER_KEYS. Nothing was written.");
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

        if (currentCheck is null)
        {
            await _masterKeys.AddAsync(new MasterKeyCheck(current.Id, current.ComputeCheckValue(), _timeProvider.GetUtcNow())).ConfigureAwait(false);

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
    private sealed record Validation(byte[] CheckValue, Task Task)
    {
        public bool Matches(byte[] checkValue) => CryptographicOperations.FixedTimeEquals(CheckValue, checkValue);
    }
}
