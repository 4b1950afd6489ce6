using System.Security.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.PrivateKeys;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Encryption;

/// <summary>
/// Brings every stored private key under the current master key in envelope format v2: data keys wrapped by an older
/// master key are re-wrapped (the data itself is not touched), v1 ciphertexts are decrypted, checked against their row's
/// public key and encrypted again as v2, and, only with <see cref="ReencryptionOptions.UnsafeReadPlaintextPrivateKeys"/>,
/// plaintext PKCS#8 left by an older version is checked the same way and encrypted.
/// </summary>
/// <remarks>
/// Runs only after <see cref="MasterKeyValidator"/> passed. Each key is read again in full (public key and spec, which
/// the v2 binding needs) and updated on its own, so an interrupted run loses nothing and a second run finishes the work.
/// A key that cannot be read is skipped, logged at Error and reported; the run goes on. Keys held in an HSM, or by any
/// backend other than the software one, are left alone.
/// </remarks>
internal sealed class PrivateKeyReencryptor(
    IKeyRepository keys,
    IEnvelopeEncryptor encryptor,
    IEncryptionKeyProvider keyProvider,
    MasterKeyValidator validator,
    KeyChangePublisher changes,
    Authorization.AccessGuard access,
    Audit.AuditRecorder audit,
    Tenancy.ITenantContext tenant,
    ILogger<PrivateKeyReencryptor> logger) : IPrivateKeyReencryptor
{
    private readonly IKeyRepository _keys = keys;
    private readonly IEnvelopeEncryptor _encryptor = encryptor;
    private readonly IEncryptionKeyProvider _keyProvider = keyProvider;
    private readonly MasterKeyValidator _validator = validator;
    private readonly ILogger<PrivateKeyReencryptor> _logger = logger;

    private enum Outcome
    {
        Encrypted,
        Upgraded,
        Rewrapped,
        Unchanged,
        Vanished,
    }

    // Called directly, the pass is a master-key operation of its own and is recorded; inside the re-wrap, the re-wrap's record says it all.
    public async Task<ReencryptionSummary> ReencryptAllAsync(ReencryptionOptions options, CancellationToken cancellationToken = default)
    {
        var summary = await ReencryptAllAsync(options, null, cancellationToken).ConfigureAwait(false);
        await audit.ChangeAsync(new Audit.AuditChange
        {
            Action = Audit.AuditActions.PrivateKeysReencrypt,
            TargetType = "master_key",
            TargetId = await GetCurrentKeyIdAsync(cancellationToken).ConfigureAwait(false),
            After = new Dictionary<string, string?>
            {
                ["encrypted"] = Audit.AuditText.Count(summary.Encrypted),
                ["upgraded"] = Audit.AuditText.Count(summary.Upgraded),
                ["rewrapped"] = Audit.AuditText.Count(summary.Rewrapped),
                ["unchanged"] = Audit.AuditText.Count(summary.Unchanged),
                ["skipped"] = Audit.AuditText.Count(summary.Skipped.Count),
            },
        }, cancellationToken).ConfigureAwait(false);
        return summary;
    }

    /// <summary>As <see cref="ReencryptAllAsync(ReencryptionOptions, CancellationToken)"/>, with the counts so far reported after every 100 keys.</summary>
    internal async Task<ReencryptionSummary> ReencryptAllAsync(ReencryptionOptions options, Action<ReencryptionSummary, long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await access.DemandAsync(Authorization.KeyInfraOperation.ManageMasterKeys, tenant.TenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        await _validator.EnsureValidatedAsync(cancellationToken).ConfigureAwait(false);
        var currentId = await GetCurrentKeyIdAsync(cancellationToken).ConfigureAwait(false);

        int encrypted = 0, upgraded = 0, rewrapped = 0, unchanged = 0;
        long examined = 0;
        var skipped = new List<ReencryptionSkippedKey>();
        await foreach (var stored in _keys.ListPrivateKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!string.Equals(stored.PrivateKey.Backend, PrivateKeyBackendNames.Software, StringComparison.Ordinal))
            {
                // Another backend's material is its own (a reference, or its own ciphertext): never rewritten here.
                unchanged++;
                continue;
            }

            Outcome outcome;
            try
            {
                // Read per key: a source that refreshes may make another key current during a long run.
                currentId = await GetCurrentKeyIdAsync(cancellationToken).ConfigureAwait(false);
                outcome = await ProcessAsync(stored, currentId, options, cancellationToken).ConfigureAwait(false);
            }
            catch (KeyInfraException e) when (IsRowProblem(e))
            {
                Log.ReencryptionSkippedKey(_logger, stored.KeyId.Value, stored.TenantId, e.ErrorCode, e);
                skipped.Add(new ReencryptionSkippedKey(stored.TenantId, stored.KeyId, e.ErrorCode, e.Message));
                examined++;
                continue;
            }

            switch (outcome)
            {
                case Outcome.Encrypted: encrypted++; break;
                case Outcome.Upgraded: upgraded++; break;
                case Outcome.Rewrapped: rewrapped++; break;
                case Outcome.Unchanged: unchanged++; break;
            }

            examined++;
            if (progress is not null && examined % 100 == 0)
            {
                progress(new ReencryptionSummary(encrypted, rewrapped, unchanged) { Upgraded = upgraded, Skipped = skipped.ToArray() }, examined);
            }
        }

        Log.ReencryptionCompleted(_logger, currentId, encrypted, rewrapped, unchanged);
        return new ReencryptionSummary(encrypted, rewrapped, unchanged) { Upgraded = upgraded, Skipped = skipped.ToArray() };
    }

    /// <summary>
    /// What one row's data makes impossible, as opposed to what stops the whole run: the master keys not fitting the
    /// database, the key source or the database failing, cancellation. Those propagate.
    /// </summary>
    private static bool IsRowProblem(KeyInfraException e)
        => e is not MasterKeyException
           && e.ErrorCode is not (ErrorCodes.StorageUnavailable or ErrorCodes.MasterKeyUnavailable or ErrorCodes.NoStorageProvider);

    private async Task<Outcome> ProcessAsync(StoredPrivateKey listed, string currentId, ReencryptionOptions options, CancellationToken cancellationToken)
    {
        // The listing carries the private key only; the binding needs the row's spec and public key.
        var key = await _keys.FindAsync(listed.TenantId, listed.KeyId, includePrivateKey: true, cancellationToken).ConfigureAwait(false);
        if (key?.PrivateKey is not { } record)
        {
            Log.PrivateKeyVanished(_logger, listed.KeyId.Value, listed.TenantId);
            return Outcome.Vanished;
        }

        if (!string.Equals(record.Backend, PrivateKeyBackendNames.Software, StringComparison.Ordinal))
        {
            return Outcome.Unchanged;
        }

        switch (record.Protection)
        {
            case PrivateKeyProtection.None:
                // Refused (KI2103, reported) unless the caller said so; read, the key must still match the row's public key.
                return await EncryptAgainAsync(key, options.UnsafeReadPlaintextPrivateKeys, cancellationToken).ConfigureAwait(false) is { } encryptedUnder
                    ? Logged(Outcome.Encrypted, () => Log.PrivateKeyEncrypted(_logger, key.Id.Value, key.TenantId, encryptedUnder))
                    : Outcome.Vanished;

            case PrivateKeyProtection.Envelope when EnvelopeEncryptor.GetVersion(record.Material) == EnvelopeFormat.Version1:
                // v1 binds no public key: decrypted, checked against the row's public key, and only then bound to it as v2.
                return await EncryptAgainAsync(key, unsafeReadPlaintext: false, cancellationToken).ConfigureAwait(false) is { } upgradedUnder
                    ? Logged(Outcome.Upgraded, () => Log.PrivateKeyUpgraded(_logger, key.Id.Value, key.TenantId, upgradedUnder))
                    : Outcome.Vanished;

            case PrivateKeyProtection.Envelope:
                var wrappedUnder = _encryptor.GetMasterKeyId(record.Material);
                if (string.Equals(wrappedUnder, currentId, StringComparison.Ordinal)
                    && string.Equals(record.MasterKeyId, currentId, StringComparison.Ordinal))
                {
                    return Outcome.Unchanged;
                }

                // The wrap's associated data binds the spec and public key too: a swapped row fails here (KI2102).
                var context = SoftwarePrivateKeyOpener.ContextFor(key, SoftwarePrivateKeyOpener.CanonicalSpki(key));
                var ciphertext = await _encryptor.RewrapAsync(record.Material, context, cancellationToken).ConfigureAwait(false);
                return await SaveAsync(key, ciphertext, cancellationToken).ConfigureAwait(false) is { } rewrappedUnder
                    ? Logged(Outcome.Rewrapped, () => Log.PrivateKeyRewrapped(_logger, key.Id.Value, key.TenantId, wrappedUnder, rewrappedUnder))
                    : Outcome.Vanished;

            default:
                return Outcome.Unchanged;
        }
    }

    private static Outcome Logged(Outcome outcome, Action log)
    {
        log();
        return outcome;
    }

    private async Task<string> GetCurrentKeyIdAsync(CancellationToken cancellationToken)
    {
        using var lease = await _keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        return lease.Ring.Current.Id;
    }

    /// <summary>
    /// Opens the row's private key (checked against its public key), encrypts it as v2 under the current master key and
    /// saves it; returns the master key id, or <c>null</c> if the key was deleted meanwhile.
    /// </summary>
    private async Task<string?> EncryptAgainAsync(KeyRecord key, bool unsafeReadPlaintext, CancellationToken cancellationToken)
    {
        var spki = SoftwarePrivateKeyOpener.CanonicalSpki(key);
        using var signingKey = await SoftwarePrivateKeyOpener.OpenAsync(key, _encryptor, unsafeReadPlaintext, _logger, cancellationToken).ConfigureAwait(false);
        var pkcs8 = signingKey.ExportPkcs8();
        try
        {
            var ciphertext = await _encryptor.EncryptAsync(pkcs8, SoftwarePrivateKeyOpener.ContextFor(key, spki), cancellationToken).ConfigureAwait(false);
            return await SaveAsync(key, ciphertext, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private async Task<string?> SaveAsync(KeyRecord key, byte[] ciphertext, CancellationToken cancellationToken)
    {
        // The header is the truth about the wrapping key (it is authenticated by the wrap), so the column follows it.
        var masterKeyId = _encryptor.GetMasterKeyId(ciphertext);
        var record = new PrivateKeyRecord(PrivateKeyProtection.Envelope, ciphertext, masterKeyId);
        if (await _keys.UpdatePrivateKeyAsync(key.TenantId, key.Id, record, cancellationToken).ConfigureAwait(false))
        {
            // The key itself is the same, but this process's signing cache and other instances (through the notifiers)
            // drop the old ciphertext's copy.
            await changes.PublishAsync(new KeyChange(key.TenantId, key.Id, KeyChangeKind.PrivateKeyChanged), cancellationToken).ConfigureAwait(false);
            return masterKeyId;
        }

        Log.PrivateKeyVanished(_logger, key.Id.Value, key.TenantId);
        return null;
    }
}
