using System.Security.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
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

    private readonly IOptions<EnvironmentMasterKeyOptions> _options;
    private readonly ILogger<EnvironmentMasterKeyProvider> _logger;

    public EnvironmentMasterKeyProvider(IOptions<EnvironmentMasterKeyOptions> options, ILogger<EnvironmentMasterKeyProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
    }

    protected override ValueTask<MasterKeyRing> LoadRingAsync(CancellationToken cancellationToken)
    {
        var ring = Load(_options.Value, out var derived);
        if (derived)
        {
            Log.MasterKeyDerivedFromSecret(_logger, ring.Current.Id);
        }

        Log.EnvironmentMasterKeysLoaded(_logger, ring.Current.Id, ring.PreviousCount);
        return ValueTask.FromResult(ring);
    }

    /// <summary>Parses and checks the options into an unpublished ring (also used to validate the options at start).</summary>
    /// <exception cref="MasterKeyException">KI2001 nothing configured; KI2002 something malformed or ambiguous.</exception>
    internal static MasterKeyRing Load(EnvironmentMasterKeyOptions options, out bool derived)
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

        derived = hasSecret;
        MasterKey current;
        Span<byte> key = stackalloc byte[MasterKey.KeySizeBytes];
        try
        {
            if (hasKey)
            {
                MasterKeyText.ParseKey(options.MasterKey, key, MasterKeySetting);
            }
            else
            {
                MasterKeyText.DeriveFromSecret(options.MasterSecret!, key, MasterSecretSetting);
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
