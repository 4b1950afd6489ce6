using KeyInfra.Keys;
using KeyInfra.Storage;

namespace KeyInfra.PrivateKeys;

/// <summary>
/// Where private keys live: generates key pairs and opens them for signing. Core registers the software backend
/// (<see cref="PrivateKeyBackendNames.Software"/>: keys generated in process and stored encrypted under the master key);
/// packages such as KeyInfra.Pkcs11 add others with <c>TryAddEnumerable</c>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="IKeyStore"/> chooses the backend named by <see cref="CreateKeyRequest.Backend"/>, stores the
/// <see cref="PrivateKeyRecord"/> it returns (stamped with <see cref="Name"/>), and dispatches signing on that name.
/// The key store keeps every rule for all backends: request validation, the strict check of the returned public
/// key, ring versions, logging and change announcements. A backend only creates and uses key material.
/// </para>
/// <para>
/// Implementations are singletons and thread-safe. They must never put key material, PINs or other secrets in
/// exception messages or logs. <see cref="PrivateKeyRecord.Material"/> is stored in the database, which is not
/// trusted: a backend treats it as untrusted input when it opens a key (DESIGN.md, the trust model).
/// </para>
/// </remarks>
public interface IPrivateKeyBackend
{
    /// <summary>
    /// The backend's unique name, stored with every private key it holds (for example <c>software</c>, <c>pkcs11</c>).
    /// Lower-case ASCII; it never changes once keys are stored under it.
    /// </summary>
    string Name { get; }

    /// <summary>Generates a key pair of <paramref name="spec"/> for the key <see cref="PrivateKeyGenerationContext.KeyId"/>.</summary>
    /// <param name="spec">The key type.</param>
    /// <param name="context">The key's tenant and id, the backend options of the request, and on rotation the ring's previous key.</param>
    /// <param name="cancellationToken">Cancels the generation.</param>
    /// <returns>The public key as DER SubjectPublicKeyInfo and the private-key record to store.</returns>
    /// <exception cref="ArgumentException">The backend options are not valid for this backend.</exception>
    Task<GeneratedPrivateKey> GenerateAsync(KeySpec spec, PrivateKeyGenerationContext context, CancellationToken cancellationToken = default);

    /// <summary>
    /// Destroys what <see cref="GenerateAsync"/> made for a key the key store then could not store (the database write
    /// failed, or the public key the backend returned was refused), so that nothing is left behind without a row. Not
    /// called when the row was stored. Best effort: the key store logs a failure and reports the original error.
    /// </summary>
    /// <param name="generated">What <see cref="GenerateAsync"/> returned.</param>
    /// <param name="context">The context it was given.</param>
    /// <param name="cancellationToken">Cancels the clean-up.</param>
    /// <remarks>The default does nothing: a backend whose key exists only in the record it returns has nothing to destroy.</remarks>
    Task DiscardAsync(GeneratedPrivateKey generated, PrivateKeyGenerationContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Opens a stored private key for signing.</summary>
    /// <param name="key">The key as stored, with its <see cref="KeyRecord.PrivateKey"/> (whose backend is this one).</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>A handle the caller disposes when done; if <see cref="IPrivateKeyHandle.IsCacheable"/>, the signing cache may keep it.</returns>
    Task<IPrivateKeyHandle> OpenAsync(KeyRecord key, CancellationToken cancellationToken = default);
}
