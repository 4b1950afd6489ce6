using Microsoft.Extensions.Options;

namespace KeyInfra.KeySources.Aws;

/// <summary>Checks <see cref="AwsKmsMasterKeyOptions"/> at start; every message names the option.</summary>
internal sealed class AwsKmsMasterKeyOptionsValidator : IValidateOptions<AwsKmsMasterKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, AwsKmsMasterKeyOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.KeyId))
        {
            failures.Add("AwsKmsMasterKeyOptions.KeyId must name the KMS key that encrypted the data key (id, ARN or alias).");
        }

        if (string.IsNullOrWhiteSpace(options.EncryptedDataKey))
        {
            failures.Add("AwsKmsMasterKeyOptions.EncryptedDataKey must hold the encrypted data key (Base64); make one with AwsKmsDataKeys.GenerateAsync.");
        }

        if (string.IsNullOrWhiteSpace(options.Deployment))
        {
            failures.Add("AwsKmsMasterKeyOptions.Deployment must name the deployment (the encryption context's keyinfra:deployment); the data key was made for it.");
        }

        if (string.IsNullOrWhiteSpace(options.Region))
        {
            failures.Add("AwsKmsMasterKeyOptions.Region must name the KMS key's AWS region.");
        }

        if (options.ServiceUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)))
        {
            failures.Add($"AwsKmsMasterKeyOptions.ServiceUrl {url} must be an absolute https:// address (plain http only on loopback, for an emulator).");
        }

        if (options.RefreshInterval < TimeSpan.Zero || (options.RefreshInterval > TimeSpan.Zero && options.RefreshInterval < TimeSpan.FromMilliseconds(100)))
        {
            failures.Add($"AwsKmsMasterKeyOptions.RefreshInterval is {options.RefreshInterval}; it must be zero or at least 100 ms.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"AwsKmsMasterKeyOptions.RequestTimeout is {options.RequestTimeout}; it must be above zero and at most 5 minutes.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"AwsKmsMasterKeyOptions.MaxRetries is {options.MaxRetries}; it must be 0–10.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
