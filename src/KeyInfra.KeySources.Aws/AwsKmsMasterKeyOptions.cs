using Amazon.Runtime;

namespace KeyInfra.KeySources.Aws;

/// <summary>
/// Where <c>UseAwsKmsMasterKey()</c> finds the master key: a 32-byte data key kept encrypted by an AWS KMS key
/// (<see cref="EncryptedDataKey"/>, made once by <see cref="AwsKmsDataKeys.GenerateAsync"/>), decrypted by KMS at start
/// under an encryption context that names the deployment. Bindable from configuration (all but <see cref="Credentials"/>).
/// </summary>
/// <remarks>
/// The encrypted data key is not a secret: without <c>kms:Decrypt</c> on the KMS key, under this exact encryption
/// context, it opens nothing. The plaintext exists only in this process's memory.
/// </remarks>
public sealed class AwsKmsMasterKeyOptions
{
    /// <summary>The KMS key (id, ARN, alias name or alias ARN) that encrypted the data key; Decrypt is pinned to it. Required.</summary>
    public string? KeyId { get; set; }

    /// <summary>The encrypted data key (the <c>CiphertextBlob</c>, Base64), as <see cref="AwsKmsDataKeys.GenerateAsync"/> returned it. Required.</summary>
    public string? EncryptedDataKey { get; set; }

    /// <summary>Older encrypted data keys (Base64), decrypted as previous master keys, for data wrapped before a rotation.</summary>
    public IList<string> PreviousEncryptedDataKeys { get; } = [];

    /// <summary>The deployment's name, the encryption context's <c>keyinfra:deployment</c> entry (for example <c>billing-production</c>). Required.</summary>
    public string? Deployment { get; set; }

    /// <summary>The AWS region of the KMS key. Required.</summary>
    public string? Region { get; set; }

    /// <summary>Another endpoint for KMS (a VPC or FIPS endpoint, an emulator); by default the region's.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>The credentials to sign with; by default the SDK's chain.</summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>How often KMS is asked again to decrypt the data key, so that a disabled key or a revoked permission shows in the health check. Default: 15 minutes; <see cref="TimeSpan.Zero"/> for never.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The timeout of one request. Default: 10 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a request that failed transiently (the SDK's own retry policy). Default: 2; 0–10.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <inheritdoc />
    public override string ToString() => $"AWS KMS key {KeyId} in {Region}, deployment {Deployment}";
}
