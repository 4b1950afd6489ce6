using System.Security.Cryptography;
using KeyInfra.Caching;
using KeyInfra.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Keys;

/// <summary>
/// The key registry: does the cryptography (generation, strict import, encryption of private keys) and
/// leaves persistence to <see cref="IKeyRepository"/>. Every change invalidates this process's caches.
/// </summary>
internal sealed class KeyStore(
    IKeyRepository repository,
    IKeyCacheInvalidator caches,
    IServiceProvider services,
    ITenantContext tenant,
    TimeProvider time,
    ILogger<KeyStore> logger) : IKeyStore
{
    private const int RingInsertAttempts = 8;

    public async Task<KeyInfo> CreateAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Spec, nameof(request));
        var now = time.GetUtcNow();
        ValidateCommon(request.Name, request.Owner, request.RingName, request.Metadata, request.ExpiresAt, now);
        CheckDefaults(request.SignatureEncoding, request.RsaPadding);
        CheckPssSalt(request.Spec, request.PssSaltLength);
        var key = await GenerateAsync(request.Spec, request.Name, request.Owner, request.RingName, request.Metadata,
            request.ExpiresAt, request.SignatureEncoding, request.RsaPadding, RsaOnly(request.Spec, request.PssSaltLength), now, cancellationToken).ConfigureAwait(false);
        Log.KeyCreated(logger, key.Id, key.Spec.Name, key.TenantId);
        return key;
    }

    public async Task<KeyInfo> ImportAsync(ImportKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        ValidateCommon(request.Name, request.Owner, request.RingName, request.Metadata, request.ExpiresAt, now);
        CheckDefaults(request.SignatureEncoding, request.RsaPadding);
        // JWK and undefined formats are refused by the codec (KI1011), like every other key format error.
        var decoded = PublicKeyCodec.Decode(request.KeyData.Span, request.Format, request.ExpectedSpec);
        CheckPssSalt(decoded.Spec, request.PssSaltLength);
        var tenantId = tenant.TenantId;
        var spkiSha256 = PublicKeyFingerprint.SpkiSha256(decoded.Spki);
        if (request.ReturnExisting)
        {
            var existing = await FindCheckedAsync(PublicKeyLookup.BySpkiSha256(spkiSha256), 1, cancellationToken).ConfigureAwait(false);
            if (existing.Count > 0)
            {
                Log.KeyImportReturnedExisting(logger, existing[0].Id, tenantId);
                return existing[0];
            }
        }

        var record = new KeyRecord
        {
            Id = KeyId.New(),
            TenantId = tenantId,
            Name = request.Name,
            Spec = decoded.Spec,
            PublicKeyData = request.KeyData.ToArray(),
            PublicKeyFormat = request.Format,
            Status = KeyStatus.Active,
            CreatedAt = now,
            ExpiresAt = request.ExpiresAt,
            Owner = request.Owner,
            Metadata = Copy(request.Metadata),
            DefaultSignatureEncoding = request.SignatureEncoding,
            DefaultRsaPadding = request.RsaPadding,
            DefaultPssSaltLength = RsaOnly(decoded.Spec, request.PssSaltLength),
            SpkiSha256 = spkiSha256,
            JwkThumbprint = PublicKeyFingerprint.JwkThumbprint(decoded.Spki),
        };

        record = await AddAsync(record, request.RingName, cancellationToken).ConfigureAwait(false);
        Log.KeyImported(logger, record.Id, record.Spec.Name, tenantId);
        return KeyRecordMapper.ToInfo(record, decoded);
    }

    public async Task<KeyInfo?> GetAsync(KeyId id, CancellationToken cancellationToken = default)
    {
        var record = await repository.FindAsync(tenant.TenantId, id, cancellationToken).ConfigureAwait(false);
        return record is null ? null : KeyRecordMapper.ToInfo(record);
    }

    public Task<IReadOnlyList<KeyInfo>> FindByPublicKeyAsync(PublicKeyLookup lookup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return FindCheckedAsync(lookup, PublicKeyLookup.MaxMatches, cancellationToken);
    }

    public async Task<KeyPage> ListAsync(KeyQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is < 1 or > KeyQuery.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.PageSize, $"The page size is 1–{KeyQuery.MaxPageSize}.");
        }

        var records = await repository.ListAsync(tenant.TenantId, query, query.PageSize + 1, cancellationToken).ConfigureAwait(false);
        var hasMore = records.Count > query.PageSize;
        var items = new List<KeyInfo>(Math.Min(records.Count, query.PageSize));
        for (var i = 0; i < records.Count && i < query.PageSize; i++)
        {
            items.Add(KeyRecordMapper.ToInfo(records[i]));
        }

        return new KeyPage(items, hasMore ? items[^1].Id : null);
    }

    public async Task<KeyInfo> RotateAsync(string ringName, CancellationToken cancellationToken = default)
    {
        KeyRequestValidator.Optional(ringName ?? throw new ArgumentNullException(nameof(ringName)), "A ring name", nameof(ringName));
        var latest = await repository.FindLatestInRingAsync(tenant.TenantId, ringName, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            ThrowHelper.KeyRingNotFound(ringName);
        }

        // The new version keeps the ring's lifetime: a ring of 90-day keys rotates to another 90-day key.
        var now = time.GetUtcNow();
        DateTimeOffset? expiresAt = latest.ExpiresAt is { } expires && expires > latest.CreatedAt ? now + (expires - latest.CreatedAt) : null;
        var key = await GenerateAsync(latest.Spec, latest.Name, latest.Owner, ringName, latest.Metadata, expiresAt,
            latest.DefaultSignatureEncoding, latest.DefaultRsaPadding, latest.DefaultPssSaltLength, now, cancellationToken).ConfigureAwait(false);
        Log.KeyRotated(logger, ringName, key.RingVersion ?? 0, key.Id, key.TenantId);
        return key;
    }

    public async Task<KeyInfo> RevokeAsync(KeyId id, RevocationReason reason, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a revocation reason.");
        }

        var record = await FindOrThrowAsync(id, cancellationToken).ConfigureAwait(false);
        if (record.Status == KeyStatus.Revoked)
        {
            return KeyRecordMapper.ToInfo(record);
        }

        var revoked = record with { Status = KeyStatus.Revoked, RevokedAt = time.GetUtcNow(), RevocationReason = reason };
        await UpdateAsync(revoked, cancellationToken).ConfigureAwait(false);
        Log.KeyRevoked(logger, id, record.TenantId, reason);
        return KeyRecordMapper.ToInfo(revoked);
    }

    public async Task<KeyInfo> ExpireAsync(KeyId id, CancellationToken cancellationToken = default)
    {
        var record = await FindOrThrowAsync(id, cancellationToken).ConfigureAwait(false);
        if (record.Status != KeyStatus.Active)
        {
            return KeyRecordMapper.ToInfo(record);
        }

        var now = time.GetUtcNow();
        var expired = record with { Status = KeyStatus.Expired, ExpiresAt = record.ExpiresAt is { } e && e < now ? e : now };
        await UpdateAsync(expired, cancellationToken).ConfigureAwait(false);
        Log.KeyExpired(logger, id, record.TenantId);
        return KeyRecordMapper.ToInfo(expired);
    }

    public async Task<bool> DeleteAsync(KeyId id, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        var outcome = await repository.DeleteAsync(tenantId, id, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case DeleteKeyOutcome.InUse:
                ThrowHelper.KeyInUse(id);
                return false;
            case DeleteKeyOutcome.NotFound:
                return false;
            default:
                caches.Invalidate(tenantId, id);
                Log.KeyDeleted(logger, id, tenantId);
                return true;
        }
    }

    public async Task<byte[]> ExportPublicKeyAsync(KeyId id, KeyFormat format, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Not a key format.");
        }

        var record = await FindOrThrowAsync(id, cancellationToken).ConfigureAwait(false);
        var decoded = KeyRecordMapper.Decode(record);
        return PublicKeyCodec.Encode(decoded.Spec, decoded.Spki, format);
    }

    private async Task<KeyInfo> GenerateAsync(
        KeySpec spec, string name, string? owner, string? ringName, IReadOnlyDictionary<string, string>? metadata,
        DateTimeOffset? expiresAt, SignatureEncoding encoding, RsaPadding padding, int? pssSaltLength, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The encryptor needs a key source; without one, say so rather than fail in the container.
        if (services.GetService<IEncryptionKeyProvider>() is null)
        {
            ThrowHelper.NoMasterKeySource();
        }

        var encryptor = services.GetRequiredService<IEnvelopeEncryptor>();

        // Nothing is written under a master key that does not match the database.
        await services.GetRequiredService<MasterKeyValidator>().EnsureValidatedAsync(cancellationToken).ConfigureAwait(false);

        var tenantId = tenant.TenantId;
        var id = KeyId.New();
        byte[] spki;
        byte[] ciphertext;
        using (var signingKey = SigningKey.Generate(spec))
        {
            spki = signingKey.ExportSpki();
            var pkcs8 = signingKey.ExportPkcs8();
            try
            {
                ciphertext = await encryptor.EncryptAsync(pkcs8, EncryptionContexts.ForPrivateKey(tenantId, id), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }

        var record = new KeyRecord
        {
            Id = id,
            TenantId = tenantId,
            Name = name,
            Spec = spec,
            PublicKeyData = spki,
            PublicKeyFormat = KeyFormat.Der,
            Status = KeyStatus.Active,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            Owner = owner,
            Metadata = Copy(metadata),
            DefaultSignatureEncoding = encoding,
            DefaultRsaPadding = padding,
            DefaultPssSaltLength = pssSaltLength,
            SpkiSha256 = PublicKeyFingerprint.SpkiSha256(spki),
            JwkThumbprint = PublicKeyFingerprint.JwkThumbprint(spki),
            PrivateKey = new PrivateKeyRecord(PrivateKeyProtection.Envelope, ciphertext, encryptor.GetMasterKeyId(ciphertext)),
        };

        record = await AddAsync(record, ringName, cancellationToken).ConfigureAwait(false);
        return KeyRecordMapper.ToInfo(record, new DecodedPublicKey(spec, spki));
    }

    // Adds the record, as the next version of its ring when it has one. Two writers may pick the same
    // version; the store's unique index refuses the second, which then tries the next one.
    private async Task<KeyRecord> AddAsync(KeyRecord record, string? ringName, CancellationToken cancellationToken)
    {
        if (ringName is null)
        {
            await repository.AddAsync(record, cancellationToken).ConfigureAwait(false);
            return record;
        }

        for (var attempt = 0; attempt < RingInsertAttempts; attempt++)
        {
            var latest = await repository.FindLatestInRingAsync(record.TenantId, ringName, cancellationToken).ConfigureAwait(false);
            if (latest is not null && latest.Spec != record.Spec)
            {
                throw new ArgumentException($"Ring '{ringName}' holds {latest.Spec.Name} keys; a {record.Spec.Name} key cannot join it. Use another ring name.", nameof(ringName));
            }

            var versioned = record with { RingName = ringName, RingVersion = (latest?.RingVersion ?? 0) + 1 };
            if (await repository.AddAsync(versioned, cancellationToken).ConfigureAwait(false))
            {
                return versioned;
            }
        }

        ThrowHelper.RingVersionConflict(ringName);
        return record;
    }

    // The stored fingerprints only narrow the search: each match is checked against its own stored public key, so a
    // row whose fingerprint column was altered cannot pass for another key (DESIGN 3b: the database is not trusted).
    private async Task<IReadOnlyList<KeyInfo>> FindCheckedAsync(PublicKeyLookup lookup, int limit, CancellationToken cancellationToken)
    {
        var records = await repository.FindByPublicKeyAsync(tenant.TenantId, lookup, limit, cancellationToken).ConfigureAwait(false);
        var keys = new List<KeyInfo>(records.Count);
        foreach (var record in records)
        {
            var decoded = KeyRecordMapper.Decode(record);
            var matches = lookup.SpkiSha256 is { } sha256
                ? PublicKeyFingerprint.SpkiSha256(decoded.Spki).AsSpan().SequenceEqual(sha256.Span)
                : PublicKeyFingerprint.JwkThumbprint(decoded.Spki) == lookup.JwkThumbprint;
            if (!matches)
            {
                ThrowHelper.StoredFingerprintMismatch(record.Id);
            }

            keys.Add(KeyRecordMapper.ToInfo(record, decoded));
        }

        return keys;
    }

    private async Task<KeyRecord> FindOrThrowAsync(KeyId id, CancellationToken cancellationToken)
    {
        var record = await repository.FindAsync(tenant.TenantId, id, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            ThrowHelper.KeyNotFound(id);
        }

        return record;
    }

    private async Task UpdateAsync(KeyRecord record, CancellationToken cancellationToken)
    {
        if (!await repository.UpdateLifecycleAsync(record, cancellationToken).ConfigureAwait(false))
        {
            ThrowHelper.KeyNotFound(record.Id);
        }

        caches.Invalidate(record.TenantId, record.Id);
    }

    private static void ValidateCommon(string name, string? owner, string? ringName, IReadOnlyDictionary<string, string>? metadata, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        KeyRequestValidator.Name(name, nameof(name));
        KeyRequestValidator.Optional(owner, "An owner", nameof(owner));
        KeyRequestValidator.Optional(ringName, "A ring name", nameof(ringName));
        KeyRequestValidator.Metadata(metadata, nameof(metadata));
        KeyRequestValidator.Expiry(expiresAt, now, nameof(expiresAt));
    }

    private static void CheckDefaults(SignatureEncoding encoding, RsaPadding padding)
    {
        if (!Enum.IsDefined(encoding) || !Enum.IsDefined(padding))
        {
            throw new ArgumentException("The default signature encoding or RSA padding is not a defined value.");
        }
    }

    // The salt must fit the key with its default hash; a request naming a longer hash is checked when it signs or verifies.
    private static void CheckPssSalt(KeySpec spec, int? saltLength)
    {
        if (saltLength is not { } salt || spec.Algorithm != KeyAlgorithm.Rsa)
        {
            return;
        }

        var hash = spec.DefaultHashAlgorithm;
        var max = RsaPss.MaxSaltLength(spec.KeySizeBits, SignatureHash.GetSize(hash));
        if (salt > max)
        {
            throw new ArgumentException($"A PSS salt of {salt} bytes does not fit {spec.Name} with {hash.Name}: use 0 to {max} bytes, or leave PssSaltLength null for the hash length.", nameof(saltLength));
        }
    }

    private static int? RsaOnly(KeySpec spec, int? pssSaltLength) => spec.Algorithm == KeyAlgorithm.Rsa ? pssSaltLength : null;

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string>? metadata)
        => metadata is null ? [] : new Dictionary<string, string>(metadata, StringComparer.Ordinal);
}
