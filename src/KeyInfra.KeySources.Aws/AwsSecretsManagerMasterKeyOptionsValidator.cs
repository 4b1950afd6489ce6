using Microsoft.Extensions.Options;

namespace KeyInfra.KeySources.Aws;

/// <summary>Checks <see cref="AwsSecretsManagerMasterKeyOptions"/> at start; every message names the option.</summary>
internal sealed class AwsSecretsManagerMasterKeyOptionsValidator : IValidateOptions<AwsSecretsManagerMasterKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, AwsSecretsManagerMasterKeyOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SecretId))
        {
            failures.Add("AwsSecretsManagerMasterKeyOptions.SecretId must name the secret (its name or ARN).");
        }

        if (string.IsNullOrWhiteSpace(options.Region))
        {
            failures.Add("AwsSecretsManagerMasterKeyOptions.Region must name the secret's AWS region (for example eu-west-1).");
        }

        if (string.IsNullOrWhiteSpace(options.VersionStage) && options.VersionId is null)
        {
            failures.Add("AwsSecretsManagerMasterKeyOptions.VersionStage (default AWSCURRENT) or VersionId must name the current version.");
        }

        if (options.ServiceUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)))
        {
            failures.Add($"AwsSecretsManagerMasterKeyOptions.ServiceUrl {url} must be an absolute https:// address (plain http only on loopback, for an emulator).");
        }

        if (options.RefreshInterval < TimeSpan.Zero || (options.RefreshInterval > TimeSpan.Zero && options.RefreshInterval < TimeSpan.FromMilliseconds(100)))
        {
            failures.Add($"AwsSecretsManagerMasterKeyOptions.RefreshInterval is {options.RefreshInterval}; it must be zero (no refresh) or at least 100 ms.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"AwsSecretsManagerMasterKeyOptions.RequestTimeout is {options.RequestTimeout}; it must be above zero and at most 5 minutes.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"AwsSecretsManagerMasterKeyOptions.MaxRetries is {options.MaxRetries}; it must be 0–10.");
        }

        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add($"AwsSecretsManagerMasterKeyOptions.RetryDelay is {options.RetryDelay}; it must be 0 to 1 minute.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
