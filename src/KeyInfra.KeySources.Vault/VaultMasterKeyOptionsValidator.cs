using Microsoft.Extensions.Options;

namespace KeyInfra.KeySources.Vault;

/// <summary>Checks <see cref="VaultMasterKeyOptions"/> at start; every message names the option and what it needs.</summary>
internal sealed class VaultMasterKeyOptionsValidator : IValidateOptions<VaultMasterKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, VaultMasterKeyOptions options)
    {
        var failures = new List<string>();
        if (options.Address is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("VaultMasterKeyOptions.Address must be Vault's absolute https:// address (or set VAULT_ADDR).");
        }
        else if (address.Scheme == Uri.UriSchemeHttp && !options.AllowInsecureHttp)
        {
            failures.Add($"VaultMasterKeyOptions.Address {address} is plain http: the token and the master key would cross the network in clear. Use https, or set AllowInsecureHttp for a development server.");
        }

        if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add("VaultMasterKeyOptions.Path must name the KV v2 secret that holds the master key (for example keyinfra/production).");
        }

        if (string.IsNullOrWhiteSpace(options.Mount))
        {
            failures.Add("VaultMasterKeyOptions.Mount must name the KV v2 engine's mount (default: secret).");
        }

        if (string.IsNullOrWhiteSpace(options.Field))
        {
            failures.Add("VaultMasterKeyOptions.Field must name the secret's field that holds the key (default: master_key).");
        }

        var appRole = options.AppRoleRoleId is not null || options.AppRoleSecretId is not null;
        if (appRole && (string.IsNullOrEmpty(options.AppRoleRoleId) || string.IsNullOrEmpty(options.AppRoleSecretId)))
        {
            failures.Add("VaultMasterKeyOptions.AppRoleRoleId and AppRoleSecretId go together: set both for AppRole login.");
        }

        if (appRole == !string.IsNullOrEmpty(options.Token))
        {
            failures.Add(appRole
                ? "Set either VaultMasterKeyOptions.Token or the AppRole pair (AppRoleRoleId, AppRoleSecretId), not both."
                : "Vault needs credentials: set VaultMasterKeyOptions.Token (or VAULT_TOKEN), or AppRoleRoleId and AppRoleSecretId.");
        }

        if (string.IsNullOrWhiteSpace(options.AppRoleMount))
        {
            failures.Add("VaultMasterKeyOptions.AppRoleMount must name the AppRole auth method's mount (default: approle).");
        }

        if (options.Version is < 1)
        {
            failures.Add($"VaultMasterKeyOptions.Version is {options.Version}; KV versions start at 1 (leave it unset for the newest).");
        }

        if (options.PreviousVersions is < 0 or > 100)
        {
            failures.Add($"VaultMasterKeyOptions.PreviousVersions is {options.PreviousVersions}; it must be 0–100.");
        }

        if (options.RefreshInterval < TimeSpan.Zero || (options.RefreshInterval > TimeSpan.Zero && options.RefreshInterval < TimeSpan.FromMilliseconds(100)))
        {
            failures.Add($"VaultMasterKeyOptions.RefreshInterval is {options.RefreshInterval}; it must be zero (no refresh) or at least 100 ms.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"VaultMasterKeyOptions.RequestTimeout is {options.RequestTimeout}; it must be above zero and at most 5 minutes.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"VaultMasterKeyOptions.MaxRetries is {options.MaxRetries}; it must be 0–10.");
        }

        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add($"VaultMasterKeyOptions.RetryDelay is {options.RetryDelay}; it must be 0 to 1 minute.");
        }

        if (options.CaCertificatePath is { } ca && !File.Exists(ca))
        {
            failures.Add($"VaultMasterKeyOptions.CaCertificatePath '{ca}' does not exist; it must be a PEM file of the CA that issued Vault's certificate.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
