namespace KeyInfra.KeySources.Azure.Errors;

/// <summary>
/// The stable error codes of KeyInfra.KeySources.Azure (KI7201–KI7299), carried by the
/// <see cref="KeyInfra.Errors.MasterKeyException"/> it throws; docs/errors.md explains each. A key that is not 32 bytes
/// of hex or Base64 is KI2002, as for every source.
/// </summary>
public static class AzureErrorCodes
{
    /// <summary>Key Vault (or the identity's token endpoint) could not be reached after the configured retries.</summary>
    public const string Unreachable = "KI7201";

    /// <summary>The credential could not get a token, or Key Vault refused it (401, 403: no <c>get</c> permission on secrets / no Key Vault Secrets User role).</summary>
    public const string AccessDenied = "KI7202";

    /// <summary>The secret or its version does not exist, or is disabled or deleted (404, 403 <c>SecretDisabled</c>).</summary>
    public const string SecretNotFound = "KI7203";

    /// <summary>Key Vault answered something this client does not understand.</summary>
    public const string BadResponse = "KI7205";
}
