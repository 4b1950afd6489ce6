namespace KeyInfra.KeySources.Vault.Errors;

/// <summary>
/// The stable error codes of KeyInfra.KeySources.Vault (KI7001–KI7099), carried by the
/// <see cref="KeyInfra.Errors.MasterKeyException"/> it throws; docs/errors.md explains each and what to do.
/// A key that is not 32 bytes of hex or Base64 is KI2002, as for every source.
/// </summary>
public static class VaultErrorCodes
{
    /// <summary>Vault could not be reached (connection refused, DNS, TLS, timeout) after the configured retries.</summary>
    public const string Unreachable = "KI7001";

    /// <summary>Vault refused the credentials (HTTP 403 <c>permission denied</c>, an invalid or expired token, a wrong AppRole role or secret id).</summary>
    public const string PermissionDenied = "KI7002";

    /// <summary>The secret, its version or its field does not exist (HTTP 404, a deleted or destroyed version, a missing field).</summary>
    public const string SecretNotFound = "KI7003";

    /// <summary>Vault is sealed or not ready (HTTP 503).</summary>
    public const string Sealed = "KI7004";

    /// <summary>Vault answered something this client does not understand (an unexpected status or body).</summary>
    public const string BadResponse = "KI7005";
}
