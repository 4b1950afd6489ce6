namespace KeyInfra.Encryption.Rotation;

/// <summary>
/// Moves a database from one master key to the next: what each master key is still needed for (<see cref="GetStatusAsync"/>),
/// bringing everything under the current key (<see cref="RewrapAsync"/>), and retiring a key nothing needs any more
/// (<see cref="RetireAsync"/>). The CLI's <c>master-key status|rewrap|retire</c> and <c>reencrypt</c> are built on it.
/// </summary>
/// <remarks>
/// <para>
/// A rotation across several instances: give every instance the new key as a previous key (for example with
/// <c>UseMasterKeyChain</c>), then make it the current key everywhere, then run <see cref="RewrapAsync"/> once, then
/// <see cref="RetireAsync"/> each old key, then remove the old keys from the sources. docs/key-sources.md has the runbook.
/// </para>
/// <para>Works across every tenant (it is an operator's tool, not a tenant's). Thread-safe; needs a master key source.</para>
/// </remarks>
public interface IMasterKeyRotation
{
    /// <summary>
    /// Every master key the configured sources give or the database knows, with what stored data each one is still
    /// needed for. Reads ids and counts only; changes nothing.
    /// </summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="Errors.MasterKeyException">No master key source is configured, or validation failed (see the code).</exception>
    Task<MasterKeyStatus> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Brings everything stored under the current master key, without decrypting any data: re-wraps the data key of every
    /// private key (upgrading envelope format v1 to v2), re-authenticates every key row, gives every verification log digest
    /// and checkpoint a re-wrap MAC (after checking the MACs it has; the chain is not rewritten), and runs each registered
    /// <see cref="IMasterKeyRewrapStep"/> (the PKCS#11 package's re-wraps the HSM slot PINs). Each item is updated in its own
    /// transaction, so a run stopped anywhere loses nothing; a run resumed from a checkpoint skips the steps it had finished.
    /// </summary>
    /// <param name="options">Where to resume, and whether plaintext private keys are encrypted; <c>null</c> for the defaults.</param>
    /// <param name="progress">Receives the counts of the step under way, with the checkpoint to resume from; may be <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the run between items; what was written stays.</param>
    /// <returns>What each step did, and what still uses an older key at the end (empty when the run is complete).</returns>
    /// <exception cref="Errors.MasterKeyException">The master keys do not fit the database, or the source failed: nothing was changed.</exception>
    Task<MasterKeyRewrapSummary> RewrapAsync(MasterKeyRewrapOptions? options = null, IProgress<MasterKeyRewrapProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Retires a master key: records, authenticated by that key, that it is retired, so that it can never become the current
    /// key of this database again (KI2008) and can be deleted from its source. Refused while it is the current key or any
    /// stored data names it.
    /// </summary>
    /// <param name="masterKeyId">The key's id, as <see cref="GetStatusAsync"/> lists it. The configured sources must still give the key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The key's state after retirement.</returns>
    /// <exception cref="Errors.MasterKeyException">KI2007: the key is current or still used (the message lists what uses it); KI2004: the sources do not give the key.</exception>
    Task<MasterKeyState> RetireAsync(string masterKeyId, CancellationToken cancellationToken = default);
}
