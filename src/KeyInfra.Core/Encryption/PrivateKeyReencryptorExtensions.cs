namespace KeyInfra.Encryption;

/// <summary>Convenience overloads of <see cref="IPrivateKeyReencryptor"/>.</summary>
public static class PrivateKeyReencryptorExtensions
{
    /// <summary>Re-encrypts with the default <see cref="ReencryptionOptions"/>: plaintext private keys are skipped and reported, never read.</summary>
    /// <param name="reencryptor">The re-encryptor.</param>
    /// <param name="cancellationToken">Stops the run between keys.</param>
    /// <returns>What the run did.</returns>
    public static Task<ReencryptionSummary> ReencryptAllAsync(this IPrivateKeyReencryptor reencryptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reencryptor);
        return reencryptor.ReencryptAllAsync(new ReencryptionOptions(), cancellationToken);
    }
}
