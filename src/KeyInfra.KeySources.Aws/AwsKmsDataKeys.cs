using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace KeyInfra.KeySources.Aws;

/// <summary>Makes the encrypted data key that <c>UseAwsKmsMasterKey()</c> decrypts: once per deployment (and once per rotation).</summary>
public static class AwsKmsDataKeys
{
    /// <summary>The encryption context entry that names the deployment.</summary>
    public const string DeploymentContextKey = "keyinfra:deployment";

    /// <summary>
    /// Asks KMS for a new 256-bit data key encrypted under <paramref name="keyId"/> with the deployment's encryption
    /// context (<c>GenerateDataKeyWithoutPlaintext</c>: the plaintext never leaves KMS here).
    /// </summary>
    /// <param name="kms">A KMS client allowed <c>kms:GenerateDataKeyWithoutPlaintext</c> on the key.</param>
    /// <param name="keyId">The KMS key.</param>
    /// <param name="deployment">The deployment's name; the same value must be configured as <see cref="AwsKmsMasterKeyOptions.Deployment"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The encrypted data key, Base64: the value of <see cref="AwsKmsMasterKeyOptions.EncryptedDataKey"/>.</returns>
    public static async Task<string> GenerateAsync(IAmazonKeyManagementService kms, string keyId, string deployment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kms);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(deployment);
        var response = await kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest
        {
            KeyId = keyId,
            KeySpec = DataKeySpec.AES_256,
            EncryptionContext = Context(deployment),
        }, cancellationToken).ConfigureAwait(false);
        return Convert.ToBase64String(response.CiphertextBlob.ToArray());
    }

    internal static Dictionary<string, string> Context(string deployment) => new(StringComparer.Ordinal) { [DeploymentContextKey] = deployment };
}
