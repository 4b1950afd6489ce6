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
/// bound to its tenant and key id. Opening decrypts and imports it; the handle may be cached.
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
            var ciphertext = await encryptor.EncryptAsync(pkcs8, EncryptionContexts.ForPrivateKey(context.TenantId, context.KeyId), cancellationToken).ConfigureAwait(false);
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
        var privateKey = key.PrivateKey ?? throw new ArgumentException($"Key {key.Id} has no private key.", nameof(key));
        byte[] pkcs8;
        switch (privateKey.Protection)
        {
            case PrivateKeyProtection.None:
                Log.PlaintextPrivateKey(logger, key.Id);
                pkcs8 = (byte[])privateKey.Material.Clone();
                break;
            case PrivateKeyProtection.Envelope:
                pkcs8 = await encryption.Require().Encryptor.DecryptAsync(privateKey.Material, EncryptionContexts.ForPrivateKey(key.TenantId, key.Id), cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new KeyInfraException(
                    ErrorCodes.StoredDataInvalid,
                    $"Key {key.Id} is stored as held in an HSM ({privateKey.Protection}) but names the '{Name}' backend. Register the backend that holds it (KeyInfra.Pkcs11: AddPkcs11()) and correct the row's backend name.");
        }

        try
        {
            return new SoftwarePrivateKeyHandle(SigningKey.ImportPkcs8(key.Spec, pkcs8));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
