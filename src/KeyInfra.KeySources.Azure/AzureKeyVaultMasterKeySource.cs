using System.Diagnostics.Metrics;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.KeySources.Azure.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.KeySources.Azure;

/// <summary>
/// The master key source of <c>UseAzureKeyVaultMasterKey()</c>: the secret's current version, the configured previous
/// versions and every version the process used, read again on the refresh interval.
/// </summary>
/// <remarks>
/// The Key Vault SDK hands the secret's value out as a <see cref="string"/>, which cannot be zeroed: it is parsed at
/// once and dropped, and lives in managed memory until collected. Thread-safe (the base runs loads and refreshes one at
/// a time).
/// </remarks>
internal sealed class AzureKeyVaultMasterKeySource : RefreshingMasterKeySource
{
    private readonly AzureKeyVaultMasterKeyOptions _options;
    private readonly ILogger<AzureKeyVaultMasterKeySource> _logger;
    private readonly SecretClient _client;
    private readonly HashSet<string> _versions = new(StringComparer.Ordinal);
    private string? _currentVersion;

    public AzureKeyVaultMasterKeySource(IOptions<AzureKeyVaultMasterKeyOptions> options, ILogger<AzureKeyVaultMasterKeySource> logger, IMeterFactory? meterFactory = null, TimeProvider? time = null)
        : base(options.Value.RefreshInterval, time, meterFactory, "azure-key-vault")
    {
        _options = options.Value;
        _logger = logger;
        var clientOptions = _options.ClientOptions ?? new SecretClientOptions();
        if (_options.ClientOptions is null)
        {
            clientOptions.Retry.MaxRetries = _options.MaxRetries;
            clientOptions.Retry.NetworkTimeout = _options.RequestTimeout;
        }

        _client = new SecretClient(_options.VaultUri!, _options.Credential!, clientOptions);
    }

    private string Secret => $"{_options.SecretName} in {_options.VaultUri}";

    protected override async Task<MasterKeyRing> ReadRingAsync(CancellationToken cancellationToken)
    {
        var (version, key) = await ReadAsync(_options.SecretVersion, cancellationToken).ConfigureAwait(false);
        var ring = await RingAsync(version, key, cancellationToken).ConfigureAwait(false);
        Log.Loaded(_logger, Secret, _currentVersion!, ring.Current.Id, ring.PreviousCount);
        return ring;
    }

    protected override async Task<MasterKeyRing?> RefreshRingAsync(CancellationToken cancellationToken)
    {
        var (version, key) = await ReadAsync(_options.SecretVersion, cancellationToken).ConfigureAwait(false);
        if (string.Equals(version, _currentVersion, StringComparison.Ordinal) && string.Equals(key.Id, Status.CurrentKeyId, StringComparison.Ordinal))
        {
            key.Dispose();
            return null;
        }

        var ring = await RingAsync(version, key, cancellationToken).ConfigureAwait(false);
        Log.NewVersion(_logger, Secret, _currentVersion!, ring.Current.Id);
        return ring;
    }

    protected override void OnRefreshFailed(MasterKeyException exception) => Log.RefreshFailed(_logger, Secret, exception.ErrorCode, exception.Message);

    // The ring of the current version (the ring owns its key), the configured previous versions and every version this process used.
    private async Task<MasterKeyRing> RingAsync(string currentVersion, MasterKey current, CancellationToken cancellationToken)
    {
        var keys = new List<MasterKey> { current };
        var versions = new HashSet<string>(StringComparer.Ordinal) { currentVersion };
        try
        {
            foreach (var version in _options.PreviousSecretVersions.Concat(_versions).Where(v => !versions.Contains(v)).Distinct(StringComparer.Ordinal).ToList())
            {
                var (_, key) = await ReadAsync(version, cancellationToken).ConfigureAwait(false);
                versions.Add(version);
                if (keys.Exists(k => string.Equals(k.Id, key.Id, StringComparison.Ordinal)))
                {
                    key.Dispose();
                }
                else
                {
                    keys.Add(key);
                }
            }

            _versions.UnionWith(versions);
            _currentVersion = currentVersion;
            return new MasterKeyRing(keys[0], keys.Skip(1));
        }
        catch
        {
            keys.ForEach(k => k.Dispose());
            throw;
        }
    }

    private async Task<(string Version, MasterKey Key)> ReadAsync(string? version, CancellationToken cancellationToken)
    {
        var setting = $"Azure Key Vault secret {Secret}{(version is null ? string.Empty : ", version " + version)}";
        KeyVaultSecret secret;
        try
        {
            secret = (await _client.GetSecretAsync(_options.SecretName, version, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (AuthenticationFailedException ex)
        {
            throw new MasterKeyException(AzureErrorCodes.AccessDenied,
                $"The credential could not get a token for Key Vault to read {setting} ({ex.Message}). Check the identity's configuration (tenant, client id, secret or federated token).", ex);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("challenge", StringComparison.OrdinalIgnoreCase))
        {
            // The client's resource verification: the challenge named a resource whose domain does not cover the vault's host.
            throw new MasterKeyException(AzureErrorCodes.AccessDenied,
                $"Key Vault's authentication challenge for {setting} names a resource that does not cover the vault's host, so no token was sent ({ex.Message}). Check VaultUri: it must be the vault's own *.vault.azure.net (or sovereign cloud) address.", ex);
        }
        catch (RequestFailedException ex) when (ex.Status is 401 or 403 && InnerErrorCode(ex) != "SecretDisabled")
        {
            throw new MasterKeyException(AzureErrorCodes.AccessDenied,
                $"Key Vault refused to read {setting} ({ex.Status} {ex.ErrorCode}). Give the identity the \"Key Vault Secrets User\" role on the vault (or an access policy with secret get).", ex);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 || InnerErrorCode(ex) == "SecretDisabled")
        {
            throw new MasterKeyException(AzureErrorCodes.SecretNotFound,
                $"Key Vault has no enabled {setting} ({ex.Status} {ex.ErrorCode}). Check SecretName and SecretVersion, or enable the version.", ex);
        }
        catch (RequestFailedException ex) when (ex.Status == 0)
        {
            throw new MasterKeyException(AzureErrorCodes.Unreachable, $"Key Vault could not be reached to read {setting} ({ex.Message}). Check VaultUri and the network.", ex);
        }
        catch (RequestFailedException ex)
        {
            throw new MasterKeyException(AzureErrorCodes.BadResponse, $"Key Vault answered {ex.Status} {ex.ErrorCode} reading {setting}.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or AggregateException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new MasterKeyException(AzureErrorCodes.Unreachable, $"Key Vault could not be reached to read {setting} ({ex.Message}). Check VaultUri and the network.", ex);
        }

        if (secret.Properties.Enabled == false)
        {
            throw new MasterKeyException(AzureErrorCodes.SecretNotFound, $"{setting} is disabled. Enable it, or make another version current.");
        }

        return (secret.Properties.Version ?? version ?? string.Empty, MasterKey.FromText(secret.Value, setting));
    }

    // Key Vault says why a 403 is a 403 in error.innererror.code ("SecretDisabled", "ForbiddenByRbac", …).
    private static string? InnerErrorCode(RequestFailedException exception)
    {
        if (exception.GetRawResponse()?.Content is not { } content)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content.ToMemory());
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("innererror", out var inner) && inner.ValueKind == JsonValueKind.Object
                && inner.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
