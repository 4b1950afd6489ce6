namespace KeyInfra.Encryption;

/// <summary>How a re-encryption run (<see cref="IPrivateKeyReencryptor.ReencryptAllAsync(ReencryptionOptions, CancellationToken)"/>) treats what it finds.</summary>
public sealed class ReencryptionOptions
{
    /// <summary>
    /// Reads plaintext private keys (protection <c>none</c>, as written by versions before encryption at rest) and encrypts
    /// them. Default: <c>false</c>, and such keys are skipped and reported (<c>KI2103</c>).
    /// </summary>
    /// <remarks>
    /// Unsafe: a plaintext row proves nothing about who wrote it. Anyone who can write the database can put their own
    /// private key there with a matching public key, and this option would encrypt it under the master key and make it
    /// look legitimate. Set it once, when migrating a database written before encryption at rest, after checking that
    /// nobody else could write to it; each key read this way is logged (event 2102). Each key must still match its row's
    /// public key. Signing never reads plaintext keys, whatever this says.
    /// </remarks>
    public bool UnsafeReadPlaintextPrivateKeys { get; set; }
}
