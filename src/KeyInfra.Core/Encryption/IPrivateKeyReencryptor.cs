namespace KeyInfra.Encryption;

/// <summary>
/// Brings every stored private key under the current master key: encrypts plaintext keys left by an
/// older version, and re-wraps the data keys of keys wrapped by an older master key.
/// </summary>
/// <remarks>Works across all tenants. Idempotent: a second run changes nothing.</remarks>
public interface IPrivateKeyReencryptor
{
    /// <summary>Re-encrypts and re-wraps; each key is updated in its own transaction, so an interrupted run loses nothing.</summary>
    Task<ReencryptionSummary> ReencryptAllAsync(CancellationToken cancellationToken = default);
}
