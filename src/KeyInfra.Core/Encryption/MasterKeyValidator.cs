using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Encryption;

/// <summary>
/// Checks, once per process, that the configured master keys fit the database: the current key matches its
/// stored check value, and every master key that wrapped stored data is available and matches its check value.
/// Only then is the current key's check value stored, if it is new. Nothing is written before that.
/// </summary>
/// <remarks>
/// Thread-safe. A successful run is cached; a failed or cancelled one is retried on the next call, so a host
/// whose key source was briefly unreachable recovers. Logs key ids only.
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
    private readonly Lock _lock = new();
    private Task? _validation;

    /// <summary>Completes when the master keys are validated; throws if they are not.</summary>
    /// <exception cref="MasterKeyException">KI2001–KI2005: see the message for what to do.</exception>
    public Task EnsureValidatedAsync(CancellationToken cancellationToken = default)
    {
        Task validation;
        lock (_lock)
        {
            if (_validation is null || _validation.IsFaulted || _validation.IsCanceled)
            {
                // Not tied to one caller's token: a caller that gives up must not fail the others' shared run.
                _validation = ValidateAsync();
            }

            validation = _validation;
        }

        return validation.IsCompletedSuccessfully ? validation : validation.WaitAsync(cancellationToken);
    }

    private async Task ValidateAsync()
    {
        try
        {
            await ValidateCoreAsync().ConfigureAwait(false);
        }
        catch (MasterKeyException e)
        {
            Log.MasterKeyValidationFailed(_logger, e.ErrorCode);
            throw;
        }
    }

    private async Task ValidateCoreAsync()
    {
        var current = await GetCurrentKeyAsync().ConfigureAwait(false);
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
            var key = await GetKeyAsync(id).ConfigureAwait(false);
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
            Log.MasterKeyCheckAdded(_logger, current.Id);
        }

        Log.MasterKeyValidated(_logger, current.Id, idsInUse.Count == 0 ? "none" : string.Join(", ", idsInUse));
    }

    private async Task<MasterKey> GetCurrentKeyAsync()
    {
        try
        {
            return await _keyProvider.GetCurrentKeyAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not MasterKeyException and not OperationCanceledException)
        {
            throw SourceFailed(e);
        }
    }

    private async Task<MasterKey?> GetKeyAsync(string id)
    {
        try
        {
            return await _keyProvider.GetKeyAsync(id).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not MasterKeyException and not OperationCanceledException)
        {
            throw SourceFailed(e);
        }
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
}
