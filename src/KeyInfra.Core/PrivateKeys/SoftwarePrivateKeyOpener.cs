using System.Security.Cryptography;
using KeyInfra.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;

namespace KeyInfra.PrivateKeys;

/// <summary>
/// Turns a stored software private key into a signing key, refusing what a database writer could have put there:
/// a plaintext key (unless the caller is the migration and says so), a ciphertext whose bound public key or spec
/// differs from the row's (envelope v2), and a private key whose public key is not the row's public key (any format).
/// The one place that does it, for the signing backend and for <c>reencrypt</c>.
/// </summary>
internal static class SoftwarePrivateKeyOpener
{
    /// <summary>The row's public key as canonical DER SPKI (what the ciphertext's binding and the equality check use).</summary>
    /// <exception cref="KeyFormatException">The stored public key does not parse, or is not of the row's spec.</exception>
    public static byte[] CanonicalSpki(KeyRecord key) => PublicKeyCodec.Read(key.PublicKeyData, key.PublicKeyFormat, key.Spec).ToSpki();

    /// <summary>The encryption context of a row's private key, bound to the row's spec and public key.</summary>
    public static EncryptionContext ContextFor(KeyRecord key, ReadOnlySpan<byte> canonicalSpki)
        => EncryptionContexts.ForPrivateKey(key.TenantId, key.Id, key.Spec, canonicalSpki);

    /// <summary>
    /// Decrypts (or, with <paramref name="unsafeReadPlaintext"/>, reads) the row's private key, imports it and checks that its
    /// public key is the row's. The caller disposes the key.
    /// </summary>
    /// <param name="key">The row, with its private key.</param>
    /// <param name="encryptor">Decrypts envelope ciphertexts; <c>null</c> when no master key source is registered.</param>
    /// <param name="unsafeReadPlaintext">
    /// Accept <see cref="PrivateKeyProtection.None"/>: only the migration that encrypts keys written before encryption at
    /// rest passes <c>true</c>; signing never does, because anyone who can write the database can write such a row.
    /// </param>
    /// <param name="logger">Logs refusals at Error, with the key id.</param>
    /// <param name="cancellationToken">Cancels the decryption.</param>
    /// <exception cref="EncryptedDataException">KI2103 plaintext refused; KI2104 public key mismatch; KI2101/KI2102/KI2004 decryption.</exception>
    /// <exception cref="KeyFormatException">The stored public or private key is malformed.</exception>
    public static async Task<SigningKey> OpenAsync(KeyRecord key, IEnvelopeEncryptor? encryptor, bool unsafeReadPlaintext, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var privateKey = key.PrivateKey ?? throw new ArgumentException($"Key {key.Id} has no private key.", nameof(key));
        var spki = CanonicalSpki(key);
        byte[] pkcs8;
        switch (privateKey.Protection)
        {
            case PrivateKeyProtection.None when unsafeReadPlaintext:
                Log.PlaintextPrivateKeyReadUnsafely(logger, key.Id, key.TenantId);
                pkcs8 = (byte[])privateKey.Material.Clone();
                break;
            case PrivateKeyProtection.None:
                Log.PlaintextPrivateKeyRefused(logger, key.Id, key.TenantId);
                throw new EncryptedDataException(
                    ErrorCodes.PlaintextPrivateKeyRefused,
                    $"Key {key.Id} of tenant {key.TenantId} has a plaintext private key (protection 'none'), and KeyInfra does not sign with one: " +
                    "anyone who can write the database could have put it there. If it was written by a version before encryption at rest, " +
                    "encrypt it once with 'reencrypt --unsafe-read-plaintext-private-keys' (ReencryptionOptions.UnsafeReadPlaintextPrivateKeys) " +
                    "after checking that nobody else wrote to the database; otherwise restore the row from a backup or delete the key.");
            case PrivateKeyProtection.Envelope when encryptor is not null:
                pkcs8 = await encryptor.DecryptAsync(privateKey.Material, ContextFor(key, spki), cancellationToken).ConfigureAwait(false);
                break;
            case PrivateKeyProtection.Envelope:
                ThrowHelper.NoMasterKeySource();
                return null;
            default:
                throw new KeyInfraException(
                    ErrorCodes.StoredDataInvalid,
                    $"Key {key.Id} is stored as held in an HSM ({privateKey.Protection}) but names the '{PrivateKeyBackendNames.Software}' backend. Register the backend that holds it (KeyInfra.Pkcs11: AddPkcs11()) and correct the row's backend name.");
        }

        SigningKey signingKey;
        try
        {
            signingKey = SigningKey.ImportPkcs8(key.Spec, pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        try
        {
            // Derived, canonicalised the same way as the row's, compared byte for byte (public data: no timing concern).
            var derived = PublicKeyCodec.ReadSpki(signingKey.ExportSpki()).ToSpki();
            if (!derived.AsSpan().SequenceEqual(spki))
            {
                Log.PrivateKeyPublicKeyMismatch(logger, key.Id, key.TenantId);
                throw new EncryptedDataException(
                    ErrorCodes.PrivateKeyPublicKeyMismatch,
                    $"The private key stored for key {key.Id} of tenant {key.TenantId} does not belong to the key's stored public key: the row was changed " +
                    "outside KeyInfra. KeyInfra does not sign with it. Restore the row from a backup, or revoke and delete the key.");
            }

            return signingKey;
        }
        catch
        {
            signingKey.Dispose();
            throw;
        }
    }
}
