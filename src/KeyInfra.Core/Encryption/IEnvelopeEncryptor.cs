namespace KeyInfra.Encryption;

/// <summary>
/// Envelope encryption with AES-256-GCM: each secret gets its own data key, wrapped by the master key.
/// See docs/security.md for the ciphertext format.
/// </summary>
/// <remarks>
/// Thread-safe; registered as a singleton. Used for private keys and, later, HSM PINs. Each call leases the key
/// source's ring for its own length (see <see cref="IEncryptionKeyProvider"/>).
/// </remarks>
public interface IEnvelopeEncryptor
{
    /// <summary>Encrypts a secret under a fresh data key wrapped by the current master key.</summary>
    /// <exception cref="Errors.MasterKeyException">The current master key failed the check against the database (KI2003, KI2004), or the source failed.</exception>
    ValueTask<byte[]> EncryptAsync(ReadOnlyMemory<byte> plaintext, EncryptionContext context, CancellationToken cancellationToken = default);

    /// <summary>Decrypts a secret. The caller owns the returned buffer and should zero it when done.</summary>
    /// <exception cref="Errors.EncryptedDataException">The ciphertext is malformed, tampered, moved, or its master key is unavailable.</exception>
    ValueTask<byte[]> DecryptAsync(ReadOnlyMemory<byte> ciphertext, EncryptionContext context, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-wraps the data key of a ciphertext under the current master key, without decrypting the data.
    /// Returns the ciphertext unchanged if it is already under the current master key.
    /// </summary>
    /// <exception cref="Errors.EncryptedDataException">The ciphertext is malformed, tampered, or its master key is unavailable.</exception>
    /// <exception cref="Errors.MasterKeyException">The current master key failed the check against the database (KI2003, KI2004), or the source failed.</exception>
    ValueTask<byte[]> RewrapAsync(ReadOnlyMemory<byte> ciphertext, EncryptionContext context, CancellationToken cancellationToken = default);

    /// <summary>The id of the master key that wrapped a ciphertext (read from its header, not authenticated).</summary>
    /// <exception cref="Errors.EncryptedDataException">The ciphertext is malformed.</exception>
    string GetMasterKeyId(ReadOnlySpan<byte> ciphertext);
}
