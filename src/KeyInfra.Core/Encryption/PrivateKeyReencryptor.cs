using System.Security.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Encryption;

/// <summary>
/// Brings every stored private key under the current master key: plaintext PKCS#8 left by an older version is
/// encrypted, data keys wrapped by an older master key are re-wrapped (the data itself is not touched).
/// </summary>
/// <remarks>
/// Runs only after <see cref="MasterKeyValidator"/> passed. Each key is updated on its own, so an interrupted
/// run loses nothing and a second run finishes the work. Keys held in an HSM, or by any
/// backend other than the software one, are left alone.
/// </remarks>
internal sealed class PrivateKeyReencryptor(
    IKeyRepository keys,
    IEnvelopeEncryptor encryptor,
    IEncryptionKeyProvider keyProvider,
    MasterKeyValidator validator,
    KeyChangePublisher changes,
    ILogger<PrivateKeyReencryptor> logger) : IPrivateKeyReencryptor
{
    private readonly IKeyRepository _keys = keys;
    private readonly IEnvelopeEncryptor _encryptor = encryptor;
    private readonly IEncryptionKeyProvider _keyProvider = keyProvider;
    private readonly MasterKeyValidator _validator = validator;
    private readonly ILogger<PrivateKeyReencryptor> _logger = logger;

    public async Task<ReencryptionSummary> ReencryptAllAsync(CancellationToken cancellationToken = default)
    {
        await _validator.EnsureValidatedAsync(cancellationToken).ConfigureAwait(false);
        var currentId = await GetCurrentKeyIdAsync(cancellationToken).ConfigureAwait(false);

        int encrypted = 0, rewrapped = 0, unchanged = 0;
        await foreach (var stored in _keys.ListPrivateKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            var record = stored.PrivateKey;
            if (!string.Equals(record.Backend, PrivateKeys.PrivateKeyBackendNames.Software, StringComparison.Ordinal))
            {
                // Another backend's material is its own (a reference, or its own ciphertext): never rewritten here.
                unchanged++;
                continue;
            }

            switch (record.Protection)
            {
                case PrivateKeyProtection.None:
                    if (await EncryptAsync(stored, cancellationToken).ConfigureAwait(false) is { } encryptedUnder)
                    {
                        encrypted++;
                        Log.PrivateKeyEncrypted(_logger, stored.KeyId.Value, stored.TenantId, encryptedUnder);
                    }

                    break;

                case PrivateKeyProtection.Envelope:
                    // Read per key: a source that refreshes may make another key current during a long run.
                    currentId = await GetCurrentKeyIdAsync(cancellationToken).ConfigureAwait(false);
                    var wrappedUnder = _encryptor.GetMasterKeyId(record.Material);
                    if (string.Equals(wrappedUnder, currentId, StringComparison.Ordinal)
                        && string.Equals(record.MasterKeyId, currentId, StringComparison.Ordinal))
                    {
                        unchanged++;
                    }
                    else if (await RewrapAsync(stored, cancellationToken).ConfigureAwait(false) is { } rewrappedUnder)
                    {
                        rewrapped++;
                        Log.PrivateKeyRewrapped(_logger, stored.KeyId.Value, stored.TenantId, wrappedUnder, rewrappedUnder);
                    }

                    break;

                default:
                    unchanged++;
                    break;
            }
        }

        Log.ReencryptionCompleted(_logger, currentId, encrypted, rewrapped, unchanged);
        return new ReencryptionSummary(encrypted, rewrapped, unchanged);
    }

    private async Task<string> GetCurrentKeyIdAsync(CancellationToken cancellationToken)
    {
        using var lease = await _keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        return lease.Ring.Current.Id;
    }

    /// <summary>Encrypts a plaintext private key; returns the master key id, or <c>null</c> if the key was deleted meanwhile.</summary>
    private async Task<string?> EncryptAsync(StoredPrivateKey stored, CancellationToken cancellationToken)
    {
        var plaintext = stored.PrivateKey.Material;
        try
        {
            var context = EncryptionContexts.ForPrivateKey(stored.TenantId, stored.KeyId);
            var ciphertext = await _encryptor.EncryptAsync(plaintext, context, cancellationToken).ConfigureAwait(false);
            return await SaveAsync(stored, ciphertext, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Re-wraps a private key's data key; returns the master key id, or <c>null</c> if the key was deleted meanwhile.</summary>
    private async Task<string?> RewrapAsync(StoredPrivateKey stored, CancellationToken cancellationToken)
    {
        var context = EncryptionContexts.ForPrivateKey(stored.TenantId, stored.KeyId);
        var ciphertext = await _encryptor.RewrapAsync(stored.PrivateKey.Material, context, cancellationToken).ConfigureAwait(false);
        return await SaveAsync(stored, ciphertext, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> SaveAsync(StoredPrivateKey stored, byte[] ciphertext, CancellationToken cancellationToken)
    {
        // The header is the truth about the wrapping key (it is authenticated by the wrap), so the column follows it.
        var masterKeyId = _encryptor.GetMasterKeyId(ciphertext);
        var record = new PrivateKeyRecord(PrivateKeyProtection.Envelope, ciphertext, masterKeyId);
        if (await _keys.UpdatePrivateKeyAsync(stored.TenantId, stored.KeyId, record, cancellationToken).ConfigureAwait(false))
        {
            // The key itself is the same, but this process's signing cache and other instances (through the notifiers)
            // drop the old ciphertext's copy: a plaintext key migrated here must not stay in memory as it was read.
            await changes.PublishAsync(new KeyChange(stored.TenantId, stored.KeyId, KeyChangeKind.PrivateKeyChanged), cancellationToken).ConfigureAwait(false);
            return masterKeyId;
        }

        Log.PrivateKeyVanished(_logger, stored.KeyId.Value, stored.TenantId);
        return null;
    }
}
