using Microsoft.Extensions.Options;

namespace KeyInfra.KeySources.Azure;

/// <summary>Checks <see cref="AzureKeyVaultMasterKeyOptions"/> at start; every message names the option.</summary>
internal sealed class AzureKeyVaultMasterKeyOptionsValidator : IValidateOptions<AzureKeyVaultMasterKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureKeyVaultMasterKeyOptions options)
    {
        var failures = new List<string>();
        if (options.VaultUri is not { IsAbsoluteUri: true } uri || uri.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add("AzureKeyVaultMasterKeyOptions.VaultUri must be the vault's absolute https:// URI (the Key Vault client refuses plain http).");
        }

        if (string.IsNullOrWhiteSpace(options.SecretName))
        {
            failures.Add("AzureKeyVaultMasterKeyOptions.SecretName must name the secret that holds the master key.");
        }

        if (options.Credential is null)
        {
            failures.Add("AzureKeyVaultMasterKeyOptions.Credential must be set to the identity's TokenCredential (ManagedIdentityCredential, WorkloadIdentityCredential, ClientSecretCredential…); KeyInfra never picks a default one.");
        }

        if (options.RefreshInterval < TimeSpan.Zero || (options.RefreshInterval > TimeSpan.Zero && options.RefreshInterval < TimeSpan.FromMilliseconds(100)))
        {
            failures.Add($"AzureKeyVaultMasterKeyOptions.RefreshInterval is {options.RefreshInterval}; it must be zero or at least 100 ms.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"AzureKeyVaultMasterKeyOptions.RequestTimeout is {options.RequestTimeout}; it must be above zero and at most 5 minutes.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"AzureKeyVaultMasterKeyOptions.MaxRetries is {options.MaxRetries}; it must be 0–10.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
