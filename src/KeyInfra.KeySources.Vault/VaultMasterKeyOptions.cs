namespace KeyInfra.KeySources.Vault;

/// <summary>
/// Where <c>UseVaultMasterKey()</c> finds the master key: a field of a HashiCorp Vault KV version 2 secret, and how
/// to reach and log in to Vault. Bindable from configuration; unset values fall back to Vault's own environment
/// variables (<c>VAULT_ADDR</c>, <c>VAULT_TOKEN</c>, <c>VAULT_NAMESPACE</c>, <c>VAULT_CACERT</c>).
/// </summary>
/// <remarks>
/// The secret's field holds the key as 64 hex digits or Base64 of 32 bytes. The ring is the secret's newest version
/// (or <see cref="Version"/>) as the current key and <see cref="PreviousVersions"/> older versions as previous keys,
/// each under its fingerprint as key id; every version the process has used stays in the ring until it stops.
/// <see cref="Token"/> and <see cref="AppRoleSecretId"/> are credentials: never logged, never in <c>ToString()</c>.
/// </remarks>
public sealed class VaultMasterKeyOptions
{
    /// <summary>Vault's address, for example <c>https://vault.internal:8200</c>. Required; <c>https</c> unless <see cref="AllowInsecureHttp"/>.</summary>
    public Uri? Address { get; set; }

    /// <summary>The KV v2 secrets engine's mount path. Default: <c>secret</c>.</summary>
    public string Mount { get; set; } = "secret";

    /// <summary>The secret's path inside the mount, for example <c>keyinfra/production</c>. Required.</summary>
    public string? Path { get; set; }

    /// <summary>The field of the secret that holds the key. Default: <c>master_key</c>.</summary>
    public string Field { get; set; } = "master_key";

    /// <summary>A fixed version of the secret to use as the current key; <c>null</c> (the default) for the newest.</summary>
    public int? Version { get; set; }

    /// <summary>How many versions older than the current one are loaded as previous keys (to read data wrapped under them). Default: 1; 0–100.</summary>
    public int PreviousVersions { get; set; } = 1;

    /// <summary>The Vault Enterprise namespace (sent as <c>X-Vault-Namespace</c>); <c>null</c> for none.</summary>
    public string? Namespace { get; set; }

    /// <summary>A Vault token (sent as <c>X-Vault-Token</c>). Set this or the AppRole pair, not both.</summary>
    public string? Token { get; set; }

    /// <summary>The AppRole role id, for <c>POST /v1/auth/{AppRoleMount}/login</c>.</summary>
    public string? AppRoleRoleId { get; set; }

    /// <summary>The AppRole secret id. A credential: keep it out of configuration files in clear.</summary>
    public string? AppRoleSecretId { get; set; }

    /// <summary>The AppRole auth method's mount path. Default: <c>approle</c>.</summary>
    public string AppRoleMount { get; set; } = "approle";

    /// <summary>A PEM file of the CA that issued Vault's server certificate; only that CA is then trusted for Vault. <c>null</c>: the system's roots.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>Allows <c>http://</c> addresses (a development server). Off by default: the token and the key would cross the network in clear.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>How often the secret is read again, so a new version is picked up. Default: 5 minutes; <see cref="TimeSpan.Zero"/> turns refreshing off.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The timeout of one request to Vault. Default: 10 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times a request that failed transiently (unreachable, 5xx, 429, timeout) is retried. Default: 2; 0–10.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The delay before the first retry, doubled (with jitter) for each next one. Default: 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public override string ToString() => $"Vault {Address} {Mount}/{Path} field {Field}";
}
