using Azure.Core;
using Azure.Security.KeyVault.Secrets;

namespace KeyInfra.KeySources.Azure;

/// <summary>
/// Where <c>UseAzureKeyVaultMasterKey()</c> finds the master key: a secret of an Azure Key Vault, read with
/// <see cref="SecretClient"/> and the <see cref="Credential"/> the host gives (managed identity, workload identity,
/// client secret…). There is deliberately no default credential: a default chain would probe the instance metadata
/// address wherever it runs.
/// </summary>
/// <remarks>
/// The secret's value is the key as 64 hex digits or Base64 of 32 bytes. The ring is the secret's current version (or
/// <see cref="SecretVersion"/>) as the current key and <see cref="PreviousSecretVersions"/> as previous keys, each under
/// its fingerprint as key id; every version the process used stays in the ring until it stops.
/// </remarks>
public sealed class AzureKeyVaultMasterKeyOptions
{
    /// <summary>The vault's URI, for example <c>https://contoso-keyinfra.vault.azure.net/</c>. Required, https.</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>The secret's name. Required.</summary>
    public string? SecretName { get; set; }

    /// <summary>A fixed version to use as the current key; <c>null</c> (the default) for the current version.</summary>
    public string? SecretVersion { get; set; }

    /// <summary>Older versions of the secret (their version ids) loaded as previous keys, for data wrapped before a rotation.</summary>
    public IList<string> PreviousSecretVersions { get; } = [];

    /// <summary>The credential that authenticates to Key Vault. Required (code only).</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>The client's options (transport, retries, diagnostics); by default the SDK's with <see cref="MaxRetries"/> and <see cref="RequestTimeout"/>. Code only.</summary>
    public SecretClientOptions? ClientOptions { get; set; }

    /// <summary>How often the secret is read again, so a new version is picked up. Default: 5 minutes; <see cref="TimeSpan.Zero"/> turns refreshing off.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The timeout of one request (when <see cref="ClientOptions"/> is not set). Default: 10 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a request that failed transiently (when <see cref="ClientOptions"/> is not set). Default: 2; 0–10.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <inheritdoc />
    public override string ToString() => $"Azure Key Vault {VaultUri} secret {SecretName}";
}
