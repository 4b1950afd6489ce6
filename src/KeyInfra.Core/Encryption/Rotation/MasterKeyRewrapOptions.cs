namespace KeyInfra.Encryption.Rotation;

/// <summary>How <see cref="IMasterKeyRotation.RewrapAsync"/> runs.</summary>
public sealed class MasterKeyRewrapOptions
{
    /// <summary>
    /// The checkpoint of an earlier run (from its last <see cref="MasterKeyRewrapProgress.Checkpoint"/>): the steps it
    /// finished are skipped. Ignored when the current master key has changed since (every step runs again). Default: none.
    /// </summary>
    public MasterKeyRewrapCheckpoint? ResumeFrom { get; set; }

    /// <summary>
    /// Also encrypts plaintext private keys left by a version before encryption at rest (the plaintext migration of
    /// <c>reencrypt --unsafe-read-plaintext-private-keys</c>). Default: <c>false</c>, and they are skipped and reported (KI2103).
    /// </summary>
    /// <remarks>Unsafe, for the reason <see cref="ReencryptionOptions.UnsafeReadPlaintextPrivateKeys"/> gives.</remarks>
    public bool UnsafeReadPlaintextPrivateKeys { get; set; }
}
