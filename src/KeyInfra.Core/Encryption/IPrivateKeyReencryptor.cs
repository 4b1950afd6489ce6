namespace KeyInfra.Encryption;

/// <summary>
/// Brings every stored private key under the current master key in the current envelope format: re-wraps the data keys
/// of keys wrapped by an older master key, upgrades format v1 ciphertexts to v2, and (only when told to, unsafely)
/// encrypts plaintext keys left by a version before encryption at rest.
/// </summary>
/// <remarks>
/// <para>Works across all tenants. Idempotent: a second run changes nothing. Thread-safe.</para>
/// <para>After a master-key rotation, run <see cref="RowAuthentication.IKeyRowAuthenticator.AuthenticateAllAsync"/> too
/// (the CLI's <c>reencrypt</c> runs both, in this order): the key rows' MACs move to the new key only through that pass,
/// and the old key cannot leave the ring while a row MAC still names it.</para>
/// </remarks>
public interface IPrivateKeyReencryptor
{
    /// <summary>
    /// Re-encrypts, upgrades and re-wraps; each key is updated in its own transaction, so an interrupted run loses
    /// nothing. A key that cannot be read is skipped and reported in <see cref="ReencryptionSummary.Skipped"/> (and
    /// logged at Error, event 2103); the run goes on with the others.
    /// </summary>
    /// <param name="options">What to do with plaintext keys.</param>
    /// <param name="cancellationToken">Stops the run between keys.</param>
    /// <exception cref="Errors.MasterKeyException">The master keys do not fit the database (KI2003, KI2004) or the source failed: nothing was changed.</exception>
    Task<ReencryptionSummary> ReencryptAllAsync(ReencryptionOptions options, CancellationToken cancellationToken = default);
}
