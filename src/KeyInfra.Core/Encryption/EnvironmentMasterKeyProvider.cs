using System.Security.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.Encryption;

/// <summary>
/// The master key source of <c>UseEnvironmentMasterKey()</c>: keys from <see cref="EnvironmentMasterKeyOptions"/>,
/// which default to environment variables. The keys are parsed on first use into one ring, held until disposal.
/// </summary>
/// <remarks>Thread-safe. A configuration error is raised on every call (it cannot fix itself without a restart).</remarks>
internal sealed class EnvironmentMasterKeyProvider : MasterKeySourceBase
{
    private const int MaxPreviousKeys = 64;
    private const int MaxPreviousKeysLength = MaxPreviousKeys * (MasterKey.MaxIdLength + 1 + 64 + 2);

    private static readonly string MasterKeySetting = $"{EnvironmentMasterKeyOptions.MasterKeyVariable} (EnvironmentMasterKeyOptions.MasterKey)";
    private static readonly string MasterSecretSetting = $"{EnvironmentMasterKeyOptions.MasterSecretVariable} (EnvironmentMasterKeyOptions.MasterSecret)";
    private static readonly string PreviousKeysSetting = $"{EnvironmentMasterKeyOptions.PreviousMasterKeysVariable} (EnvironmentMasterKeyOptions.PreviousMasterKeys)";
    private static readonly string MasterKeyIdSetting = $"{EnvironmentMasterKeyOptions.MasterKeyIdVariable} (EnvironmentMasterKeyOptions.MasterKeyId)";

    private static readonly string DerivationSetting = $"{EnvironmentMasterKeyOptions.MasterSecretDerivationVariable} (EnvironmentMasterKeyOptions.MasterSecretDerivation)";

    private readonly IOptions<EnvironmentMasterKeyOptions> _options;
    private readonly ILogger<EnvironmentMasterKeyProvider> _logger;
    private readonly IMasterKeyRepository? _masterKeys;
    private readonly TimeProvider _time;

    /// <summary>Creates the source.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="logger">Logs key ids, never keys.</param>
    /// <param name="masterKeys">Where the master secret's salt is kept; needed only for a secret derived with Argon2id.</param>
    /// <param name="time">Stamps a new salt; the system clock by default.</param>
    public EnvironmentMasterKeyProvider(IOptions<EnvironmentMasterKeyOptions> options, ILogger<EnvironmentMasterKeyProvider> logger, IMasterKeyRepository? masterKeys = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
        _masterKeys = masterKeys;
        _time = time ?? TimeProvider.System;
    }

    protected override async ValueTask<MasterKeyRing> LoadRingAsync(CancellationToken cancellationToken)
    {
        var options = _options.Value;
        CheckSettings(options);
        MasterSecretSalt? salt = null;
        if (!string.IsNullOrEmpty(options.MasterSecret))
        {
            // A malformed secret is reported as such, before anything is read or written for it.
            MasterKeyText.CheckSecret(options.MasterSecret, MasterSecretSetting);
            if (options.MasterSecretDerivation == MasterSecretDerivation.Argon2id)
            {
                salt = await GetOrAddSaltAsync(cancellationToken).ConfigureAwait(false);
                Log.MasterKeyDerivedFromSecret(_logger, "Argon2id under this database's salt");
            }
            else
            {
                Log.MasterSecretHkdfDevelopmentOnly(_logger);
                Log.MasterKeyDerivedFromSecret(_logger, "HKDF-SHA256 (development only)");
            }
        }

        var ring = Load(options, salt);
        Log.EnvironmentMasterKeysLoaded(_logger, ring.Current.Id, ring.PreviousCount);
        return ring;
    }

    private async Task<MasterSecretSalt> GetOrAddSaltAsync(CancellationToken cancellationToken)
    {
        if (_masterKeys is null)
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyMissing,
                $"The master secret ({MasterSecretSetting}) is derived with Argon2id under a salt kept in the database, and no storage provider is registered. " +
                "Call UseSqlite(...) or UsePostgreSql(...), or configure a master key (KEYINFRA_MASTER_KEY) instead of a secret.");
        }

        var proposed = MasterSecretKdf.NewSalt(_time.GetUtcNow());
        var stored = await _masterKeys.GetOrAddSecretSaltAsync(proposed, cancellationToken).ConfigureAwait(false)
            ?? throw new MasterKeyException(ErrorCodes.MasterSecretSaltInvalid, "The storage provider returned no master secret salt. Nothing was written under a derived key.");
        MasterSecretKdf.Check(stored);
        if (stored.Salt.AsSpan().SequenceEqual(proposed.Salt))
        {
            Log.MasterSecretSaltCreated(_logger, stored.MemoryKib, stored.Iterations, stored.Parallelism);
        }

        return stored;
    }

    /// <summary>
    /// Checks the options as far as it can without the database (at start, before migrations): everything is parsed and
    /// zeroed; a master secret is checked, not derived.
    /// </summary>
    /// <exception cref="MasterKeyException">KI2001 nothing configured; KI2002 something malformed or ambiguous.</exception>
    internal static void Validate(EnvironmentMasterKeyOptions options)
    {
        CheckSettings(options);
        if (!string.IsNullOrEmpty(options.MasterKey))
        {
            Span<byte> key = stackalloc byte[MasterKey.KeySizeBytes];
            try
            {
                MasterKeyText.ParseKey(options.MasterKey, key, MasterKeySetting);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
        else
        {
            MasterKeyText.CheckSecret(options.MasterSecret!, MasterSecretSetting);
        }

        foreach (var key in ParsePrevious(options.PreviousMasterKeys))
        {
            key.Dispose();
        }
    }

    /// <summary>Parses and checks the options into an unpublished ring.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="salt">The database's salt, for a master secret derived with Argon2id; otherwise ignored.</param>
    /// <exception cref="MasterKeyException">KI2001 nothing configured; KI2002 something malformed or ambiguous; KI2006 an unusable salt.</exception>
    internal static MasterKeyRing Load(EnvironmentMasterKeyOptions options, MasterSecretSalt? salt)
    {
        CheckSettings(options);
        var hasKey = !string.IsNullOrEmpty(options.MasterKey);
        MasterKey current;
        Span<byte> key = stackalloc byte[MasterKey.KeySizeBytes];
        try
        {
            if (hasKey)
            {
                MasterKeyText.ParseKey(options.MasterKey, key, MasterKeySetting);
            }
            else if (options.MasterSecretDerivation == MasterSecretDerivation.HkdfSha256DevelopmentOnly)
            {
                MasterKeyText.DeriveFromSecretHkdfDevelopmentOnly(options.MasterSecret!, key, MasterSecretSetting);
            }
            else
            {
                var databaseSalt = salt ?? throw new InvalidOperationException("A master secret derived with Argon2id needs the database's salt.");
                MasterKeyText.DeriveFromSecretArgon2id(options.MasterSecret!, databaseSalt, key, MasterSecretSetting);
            }

            current = new MasterKey(key, options.MasterKeyId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        List<MasterKey> previous;
        try
        {
            previous = ParsePrevious(options.PreviousMasterKeys);
        }
        catch
        {
            current.Dispose();
            throw;
        }

        return new MasterKeyRing(current, previous);
    }

    /// <summary>The checks that need no parsing: exactly one of key and secret, a valid id, a known derivation.</summary>
    private static void CheckSettings(EnvironmentMasterKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hasKey = !string.IsNullOrEmpty(options.MasterKey);
        var hasSecret = !string.IsNullOrEmpty(options.MasterSecret);
        if (hasKey && hasSecret)
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyMalformed,
                $"Both a master key ({MasterKeySetting}) and a master secret ({MasterSecretSetting}) are set, so which one encrypts is ambiguous. Set only one of them.");
        }

        if (!hasKey && !hasSecret)
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyMissing,
                $"No master key is configured. Set the environment variable {EnvironmentMasterKeyOptions.MasterKeyVariable} to a 32-byte key " +
                $"in Base64 or hex ({MasterKeyText.GenerateHint}), or {EnvironmentMasterKeyOptions.MasterSecretVariable} to a random secret of at least " +
                $"{EnvironmentMasterKeyOptions.MinMasterSecretLength} characters, or set EnvironmentMasterKeyOptions in UseEnvironmentMasterKey(...). " +
                "Keep the key out of source control and back it up: data encrypted under it cannot be read without it.");
        }

        if (options.MasterKeyId is not null && !MasterKey.IsValidId(options.MasterKeyId))
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyMalformed,
                $"The master key id in {MasterKeyIdSetting} is not valid: an id is 1–{MasterKey.MaxIdLength} characters of letters, digits, '.', '_' or '-'. Leave it unset to use the key's fingerprint.");
        }

        if (!Enum.IsDefined(options.MasterSecretDerivation))
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyMalformed,
                $"{DerivationSetting} is not a known derivation: use 'argon2id' (the default) or, for development only, 'hkdf-sha256-development-only'.");
        }
    }

    private static List<MasterKey> ParsePrevious(string? text)
    {
        var keys = new List<MasterKey>();
        if (string.IsNullOrEmpty(text))
        {
            return keys;
        }

        if (text.Length > MaxPreviousKeysLength)
        {
            throw new MasterKeyException(ErrorCodes.MasterKeyMalformed, $"{PreviousKeysSetting} is longer than {MaxPreviousKeys} keys could be. Re-wrap old data with 'reencrypt' and drop the keys it no longer needs.");
        }

        Span<byte> key = stackalloc byte[MasterKey.KeySizeBytes];
        var number = 0;
        try
        {
            // Ranges over the original string: no substring copies of key material are made.
            foreach (var range in text.AsSpan().Split(','))
            {
                var entry = text.AsSpan()[range].Trim();
                if (entry.IsEmpty)
                {
                    continue;
                }

                number++;
                if (number > MaxPreviousKeys)
                {
                    throw new MasterKeyException(ErrorCodes.MasterKeyMalformed, $"{PreviousKeysSetting} holds more than {MaxPreviousKeys} keys. Re-wrap old data with 'reencrypt' and drop the keys it no longer needs.");
                }

                string? id = null;
                var colon = entry.IndexOf(':');
                if (colon >= 0)
                {
                    id = entry[..colon].ToString();
                    entry = entry[(colon + 1)..];
                    if (!MasterKey.IsValidId(id))
                    {
                        throw new MasterKeyException(
                            ErrorCodes.MasterKeyMalformed,
                            $"Entry {number} of {PreviousKeysSetting} has an invalid id before its ':': an id is 1–{MasterKey.MaxIdLength} characters of letters, digits, '.', '_' or '-'.");
                    }
                }

                MasterKeyText.ParseKey(entry, key, $"entry {number} of {PreviousKeysSetting}");
                keys.Add(new MasterKey(key, id));
                CryptographicOperations.ZeroMemory(key);
            }
        }
        catch
        {
            foreach (var k in keys)
            {
                k.Dispose();
            }

            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return keys;
    }
}
