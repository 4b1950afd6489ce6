using System.Security.Cryptography;
using KeyInfra.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;

namespace KeyInfra.PrivateKeys;

/// <summary>
/// The default backend (<see cref="PrivateKeyBackendNames.Software"/>): key pairs from the platform (NSec for Ed25519),
/// the private key stored as PKCS#8 under envelope encryption (AES-256-GCM, its data key wrapped by the master key),
/// bound to its tenant, key id, spec and public key. Opening decrypts and imports it, and refuses a plaintext key or one
/// whose public key is not the row's (<see cref="SoftwarePrivateKeyOpener"/>); the handle may be cached.
/// </summary>
internal sealed class SoftwarePrivateKeyBackend(SoftwareKeyEncryption encryption, ILogger<SoftwarePrivateKeyBackend> logger) : IPrivateKeyBackend
{
    public string Name => PrivateKeyBackendNames.Software;

    public async Task<GeneratedPrivateKey> GenerateAsync(KeySpec spec, PrivateKeyGenerationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Options.Count > 0)
        {
            throw new ArgumentException($"The '{Name}' private-key backend takes no options; remove BackendOptions ({string.Join(", ", context.Options.Keys)}).", nameof(context));
        }

        var (encryptor, validator) = encryption.Require();

        // Nothing is written under a master key that does not match the database.
        await validator.EnsureValidatedAsync(cancellationToken).ConfigureAwait(false);

        using var signingKey = SigningKey.Generate(spec);
        var spki = signingKey.ExportSpki();
        var pkcs8 = signingKey.ExportPkcs8();
        try
        {
            // Bound to the public key as the key row will hold it (canonical DER SPKI), so a row whose public key is swapped does not decrypt.
            var bound = EncryptionContexts.ForPrivateKey(context.TenantId, context.KeyId, spec, PublicKeyCodec.ReadSpki(spki).ToSpki());
            var ciphertext = await encryptor.EncryptAsync(pkcs8, bound, cancellationToken).ConfigureAwait(false);
            return new GeneratedPrivateKey(spki, new PrivateKeyRecord(PrivateKeyProtection.Envelope, ciphertext, encryptor.GetMasterKeyId(ciphertext)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public async Task<IPrivateKeyHandle> OpenAsync(KeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.PrivateKey is null)
        {
            throw new ArgumentException($"Key {key.Id} has no private key.", nameof(key));
        }

        // Never plaintext: signing trusts only what the master key authenticates (or, for v1, the public key check).
        var signingKey = await SoftwarePrivateKeyOpener.OpenAsync(key, encryption.Encryptor, unsafeReadPlaintext: false, logger, cancellationToken).ConfigureAwait(false);
        return new SoftwarePrivateKeyHandle(signingKey);
    }
}
