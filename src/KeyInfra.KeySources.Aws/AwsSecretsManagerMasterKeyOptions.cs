using Amazon.Runtime;

namespace KeyInfra.KeySources.Aws;

/// <summary>
/// Where <c>UseAwsSecretsManagerMasterKey()</c> finds the master key: an AWS Secrets Manager secret, read with
/// <c>GetSecretValue</c>. Bindable from configuration (all but <see cref="Credentials"/>).
/// </summary>
/// <remarks>
/// The key is the secret's <c>SecretString</c> (64 hex digits or Base64 of 32 bytes; or, with <see cref="JsonField"/>,
/// that field of a JSON secret), or its <c>SecretBinary</c> (the 32 key bytes, or the key as text). The ring is the
/// version in <see cref="VersionStage"/> (or <see cref="VersionId"/>) as the current key and the version in
/// <see cref="PreviousVersionStage"/> as a previous key, each under its fingerprint as key id; every version the process
/// used stays in the ring until it stops.
/// </remarks>
public sealed class AwsSecretsManagerMasterKeyOptions
{
    /// <summary>The secret's name or ARN. Required.</summary>
    public string? SecretId { get; set; }

    /// <summary>The stage of the version that is the current key. Default: <c>AWSCURRENT</c>.</summary>
    public string VersionStage { get; set; } = "AWSCURRENT";

    /// <summary>A fixed version id to use as the current key instead of <see cref="VersionStage"/>.</summary>
    public string? VersionId { get; set; }

    /// <summary>The stage of a version loaded as a previous key (Secrets Manager's rotation moves the old version there). Default: <c>AWSPREVIOUS</c>; <c>null</c> for none.</summary>
    public string? PreviousVersionStage { get; set; } = "AWSPREVIOUS";

    /// <summary>When set, <c>SecretString</c> is a JSON object and this field holds the key.</summary>
    public string? JsonField { get; set; }

    /// <summary>The AWS region, for example <c>eu-west-1</c>. Required.</summary>
    public string? Region { get; set; }

    /// <summary>Another endpoint for Secrets Manager (a VPC endpoint, a FIPS endpoint, an emulator); by default the region's.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>The credentials to sign with; by default the SDK's chain (environment, profile, web identity, container, instance).</summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>How often the secret is read again, so a rotation is picked up. Default: 5 minutes; <see cref="TimeSpan.Zero"/> turns refreshing off.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The timeout of one request. Default: 10 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a request that failed transiently (unreachable, 5xx, throttling). Default: 2; 0–10.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The delay before the first retry, doubled (with jitter) for each next one. Default: 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public override string ToString() => $"AWS Secrets Manager secret {SecretId} in {Region}";
}
