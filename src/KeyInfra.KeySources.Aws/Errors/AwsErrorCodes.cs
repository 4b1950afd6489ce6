namespace KeyInfra.KeySources.Aws.Errors;

/// <summary>
/// The stable error codes of KeyInfra.KeySources.Aws (KI7101–KI7199), carried by the
/// <see cref="KeyInfra.Errors.MasterKeyException"/> it throws; docs/errors.md explains each. A key that is not 32 bytes
/// of hex or Base64 is KI2002, as for every source.
/// </summary>
public static class AwsErrorCodes
{
    /// <summary>AWS could not be reached (connection refused, DNS, TLS, timeout) after the configured retries.</summary>
    public const string Unreachable = "KI7101";

    /// <summary>AWS refused the request: the signature or the credentials are wrong (<c>InvalidSignatureException</c>, <c>UnrecognizedClientException</c>, <c>SignatureDoesNotMatch</c>), or the identity may not read the secret (<c>AccessDeniedException</c>).</summary>
    public const string AccessDenied = "KI7102";

    /// <summary>The secret, its version or stage, or its JSON field does not exist (<c>ResourceNotFoundException</c>), or the secret is scheduled for deletion.</summary>
    public const string SecretNotFound = "KI7103";

    /// <summary>KMS refused to decrypt the data key: the ciphertext was changed or made for another deployment or key (<c>InvalidCiphertextException</c>), or the KMS key is disabled or pending deletion.</summary>
    public const string DataKeyRefused = "KI7104";

    /// <summary>AWS answered something this client does not understand (an unexpected error or body).</summary>
    public const string BadResponse = "KI7105";
}
