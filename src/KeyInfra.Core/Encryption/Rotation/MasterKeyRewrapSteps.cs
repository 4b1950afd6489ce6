namespace KeyInfra.Encryption.Rotation;

/// <summary>The names of the re-wrap steps the engine runs itself, before the registered <see cref="IMasterKeyRewrapStep"/>s.</summary>
public static class MasterKeyRewrapSteps
{
    /// <summary>Re-wraps private keys' data keys (and upgrades v1 envelopes, and encrypts plaintext keys when told to).</summary>
    public const string PrivateKeys = "private-keys";

    /// <summary>Re-authenticates key rows.</summary>
    public const string KeyRows = "key-rows";

    /// <summary>Re-authenticates the verification log's chain digests and retention checkpoints (a re-wrap MAC beside each; the chain itself is not rewritten).</summary>
    public const string LogDigests = "log-digests";

    /// <summary>The MACs of the rows that decide access (users, role grants and assignments, applications, credentials), made again under the current key.</summary>
    public const string IdentityRows = "identity-rows";

    /// <summary>The MACs of the certificate authorities' rows.</summary>
    public const string CertificateAuthorityRows = "certificate-authority-rows";

    /// <summary>The MACs of the certificates' and the revocations' rows.</summary>
    public const string CertificateRows = "certificate-rows";
}
