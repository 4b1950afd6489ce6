using System.Data.Common;
using System.Runtime.CompilerServices;
using KeyInfra.EntityFrameworkCore.Entities;
using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// The EF Core <see cref="IKeyRepository"/>: a context per call, no tracking on reads. Registered by
/// <c>UseEntityFrameworkCore</c>; a provider package may wrap it (PostgreSQL adds retries and row-level security).
/// </summary>
/// <remarks>Thread-safe: every call creates its own context from the factory.</remarks>
/// <param name="contextFactory">The factory of KeyInfra contexts.</param>
/// <param name="timeProvider">The clock for the rows' <c>updated_at</c>.</param>
public sealed class EfKeyRepository(IDbContextFactory<KeyInfraDbContext> contextFactory, TimeProvider timeProvider) : IKeyRepository
{
    // Re-encryption reads private keys in pages, so no reader stays open (and no snapshot is held)
    // while the caller writes them back.
    private const int PrivateKeyPageSize = 256;

    /// <inheritdoc />
    public async Task<bool> AddAsync(KeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var entity = KeyRecordMapping.ToEntity(key, timeProvider.GetUtcNow());

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        context.PublicKeys.Add(entity);

        // A ring version another writer took first fails the insert; that is handled here (false: try the next
        // version), so the failed command is not logged as an error; anything else is, below.
        var expected = key.RingName is null ? null : CommandFailureInterceptor.ExpectFailure();
        try
        {
            // One SaveChanges: the public and private key rows commit in one transaction.
            await context.SaveChangesOrStorageErrorAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException) when (key.RingName is not null)
        {
            // The check below is a command of its own: its failure is not an expected one.
            expected?.Dispose();

            // Providers report the violated constraint differently, so look for the ring version instead.
            if (await RingVersionExistsAsync(key.TenantId, key.RingName, key.RingVersion, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            expected?.NotHandled();
            throw;
        }
        finally
        {
            expected?.Dispose();
        }
    }

    /// <inheritdoc />
    public Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default)
        => FindAsync(tenantId, id, includePrivateKey: true, cancellationToken);

    /// <inheritdoc />
    public async Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, bool includePrivateKey, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var keys = context.PublicKeys.AsNoTracking().Where(k => k.TenantId == tenantId && k.Id == id.Value);
        if (includePrivateKey)
        {
            var entity = await keys.Include(k => k.PrivateKey).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return entity is null ? null : KeyRecordMapping.ToRecord(entity);
        }

        var found = await WithoutPrivateKey(context, keys).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return found is null ? null : ToRecord(found);
    }

    /// <inheritdoc />
    public async Task<KeyRecord?> FindLatestInRingAsync(Guid tenantId, string ringName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ringName);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entity = await context.PublicKeys
            .AsNoTracking()
            .Include(k => k.PrivateKey)
            // Providers sort NULL differently; a ring key always has a version, but do not depend on it.
            .Where(k => k.TenantId == tenantId && k.RingName == ringName && k.RingVersion != null)
            .OrderByDescending(k => k.RingVersion)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        return entity is null ? null : KeyRecordMapping.ToRecord(entity);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<KeyRecord>> FindByPublicKeyAsync(Guid tenantId, PublicKeyLookup lookup, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var keys = context.PublicKeys.AsNoTracking().Include(k => k.PrivateKey).Where(k => k.TenantId == tenantId);
        if (lookup.SpkiSha256 is { } spkiSha256)
        {
            // The (tenant_id, spki_sha256) index; both providers compare the bytes.
            var sha256 = spkiSha256.ToArray();
            keys = keys.Where(k => k.SpkiSha256 == sha256);
        }
        else
        {
            var thumbprint = lookup.JwkThumbprint;
            keys = keys.Where(k => k.JwkThumbprint == thumbprint);
        }

        var entities = await keys.OrderBy(k => k.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return entities.ConvertAll(KeyRecordMapping.ToRecord);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, CancellationToken cancellationToken = default)
        => ListAsync(tenantId, query, limit, includePrivateKey: true, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, bool includePrivateKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var keys = context.PublicKeys.AsNoTracking().Where(k => k.TenantId == tenantId);
        if (query.Status is { } status)
        {
            keys = keys.Where(k => k.Status == status);
        }

        if (query.Algorithm is { } algorithm)
        {
            keys = keys.Where(k => k.AlgorithmId == algorithm);
        }

        if (query.RingName is { } ringName)
        {
            keys = keys.Where(k => k.RingName == ringName);
        }

        if (query.Owner is { } owner)
        {
            keys = keys.Where(k => k.Owner == owner);
        }

        if (query.After is { } after)
        {
            // Ids are UUIDv7, so id order is creation order. Both providers order uuids as .NET does:
            // PostgreSQL compares uuid bytes; SQLite compares EF's fixed-case "D" text, which has the same order.
            var afterId = after.Value;
            keys = keys.Where(k => k.Id.CompareTo(afterId) > 0);
        }

        keys = keys.OrderBy(k => k.Id).Take(limit);
        if (includePrivateKey)
        {
            var entities = await keys.Include(k => k.PrivateKey).ToListAsync(cancellationToken).ConfigureAwait(false);
            return entities.ConvertAll(KeyRecordMapping.ToRecord);
        }

        var found = await WithoutPrivateKey(context, keys).ToListAsync(cancellationToken).ConfigureAwait(false);
        return found.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async Task<bool> UpdateLifecycleAsync(KeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = timeProvider.GetUtcNow();
        var expectedVersion = key.Version - 1;
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        // One conditional statement: over the version read, never over a revoked row (revocation is one-way).
        var updated = await context.PublicKeys
            .Where(k => k.TenantId == key.TenantId && k.Id == key.Id.Value && k.Version == expectedVersion && k.Status != KeyStatus.Revoked)
            .ExecuteUpdateAsync(
                s => s.SetProperty(k => k.Status, key.Status)
                    .SetProperty(k => k.ExpiresAt, key.ExpiresAt)
                    .SetProperty(k => k.RevokedAt, key.RevokedAt)
                    .SetProperty(k => k.RevocationReason, key.RevocationReason)
                    .SetProperty(k => k.RowMac, key.RowMac)
                    .SetProperty(k => k.RowMacMasterKeyId, key.RowMacMasterKeyId)
                    .SetProperty(k => k.UpdatedAt, now)
                    .SetProperty(k => k.Version, key.Version),
                cancellationToken)
            .ConfigureAwait(false);
        return updated > 0;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateRowMacAsync(Guid tenantId, KeyId id, long version, byte[] rowMac, string masterKeyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rowMac);
        ArgumentException.ThrowIfNullOrEmpty(masterKeyId);
        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var updated = await context.PublicKeys
            .Where(k => k.TenantId == tenantId && k.Id == id.Value && k.Version == version)
            .ExecuteUpdateAsync(
                s => s.SetProperty(k => k.RowMac, rowMac)
                    .SetProperty(k => k.RowMacMasterKeyId, masterKeyId)
                    .SetProperty(k => k.UpdatedAt, now),
                cancellationToken)
            .ConfigureAwait(false);
        return updated > 0;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<KeyRecord> ListKeyRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        KeyId? after = null;
        while (true)
        {
            var page = await ListKeyRowsPageAsync(null, after, PrivateKeyPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var key in page)
            {
                yield return key;
            }

            if (page.Count < PrivateKeyPageSize)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>
    /// One page of key rows without private key material, in key id order: those of <paramref name="tenantId"/> (or of
    /// every tenant the connection can see, when <c>null</c>) whose id comes after <paramref name="after"/>.
    /// </summary>
    /// <param name="tenantId">The tenant, or <c>null</c> for all.</param>
    /// <param name="after">The last key id of the previous page, or <c>null</c> for the first page.</param>
    /// <param name="limit">The most keys returned (1–1,000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>At most <paramref name="limit"/> keys; fewer means there are no more.</returns>
    public async Task<IReadOnlyList<KeyRecord>> ListKeyRowsPageAsync(Guid? tenantId, KeyId? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var keys = context.PublicKeys.AsNoTracking();
        if (tenantId is { } tenant)
        {
            keys = keys.Where(k => k.TenantId == tenant);
        }

        if (after is { } afterKey)
        {
            var afterId = afterKey.Value;
            keys = keys.Where(k => k.Id.CompareTo(afterId) > 0);
        }

        var page = await WithoutPrivateKey(context, keys.OrderBy(k => k.Id).Take(limit)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return page.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async Task<bool> UpdatePrivateKeyAsync(Guid tenantId, KeyId id, PrivateKeyRecord privateKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var updated = await context.PrivateKeys
            .Where(p => p.TenantId == tenantId && p.KeyId == id.Value)
            .ExecuteUpdateAsync(
                s => s.SetProperty(p => p.Backend, privateKey.Backend)
                    .SetProperty(p => p.Protection, privateKey.Protection)
                    .SetProperty(p => p.KeyMaterial, privateKey.Material)
                    .SetProperty(p => p.MasterKeyId, privateKey.MasterKeyId)
                    .SetProperty(p => p.HsmSlotId, privateKey.HsmSlotId)
                    .SetProperty(p => p.UpdatedAt, now),
                cancellationToken)
            .ConfigureAwait(false);

        if (updated == 0)
        {
            // "Replaces" the private key: a key of this tenant that had none gets one.
            var keyExists = await context.PublicKeys
                .AnyAsync(k => k.TenantId == tenantId && k.Id == id.Value, cancellationToken)
                .ConfigureAwait(false);
            if (!keyExists)
            {
                return false;
            }

            context.PrivateKeys.Add(KeyRecordMapping.ToEntity(tenantId, id, privateKey, now));
            await context.SaveChangesOrStorageErrorAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<DeleteKeyOutcome> DeleteAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var exists = await context.PublicKeys.AnyAsync(k => k.TenantId == tenantId && k.Id == id.Value, cancellationToken).ConfigureAwait(false);
        if (!exists)
        {
            return DeleteKeyOutcome.NotFound;
        }

        if (await IsReferencedAsync(context, id.Value, cancellationToken).ConfigureAwait(false))
        {
            return DeleteKeyOutcome.InUse;
        }

        try
        {
            // The private key goes with it: ON DELETE CASCADE.
            await context.PublicKeys
                .Where(k => k.TenantId == tenantId && k.Id == id.Value)
                .ExecuteDeleteAsync(cancellationToken)
                .ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return DeleteKeyOutcome.Deleted;
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException)
        {
            // A record may have been logged for the key since the check (the foreign key caught it).
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            if (await IsReferencedAsync(context, id.Value, cancellationToken).ConfigureAwait(false))
            {
                return DeleteKeyOutcome.InUse;
            }

            throw;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredPrivateKey> ListPrivateKeysAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        KeyId? after = null;
        while (true)
        {
            var page = await ListPrivateKeysPageAsync(null, after, PrivateKeyPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var key in page)
            {
                yield return key;
            }

            if (page.Count < PrivateKeyPageSize)
            {
                yield break;
            }

            after = page[^1].KeyId;
        }
    }

    /// <summary>
    /// One page of stored private keys in key id order: those of <paramref name="tenantId"/> (or of every tenant the
    /// connection can see, when <c>null</c>) whose key id comes after <paramref name="after"/>.
    /// </summary>
    /// <param name="tenantId">The tenant, or <c>null</c> for all.</param>
    /// <param name="after">The last key id of the previous page, or <c>null</c> for the first page.</param>
    /// <param name="limit">The most keys returned (1–1,000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>At most <paramref name="limit"/> keys; fewer means there are no more.</returns>
    public async Task<IReadOnlyList<StoredPrivateKey>> ListPrivateKeysPageAsync(Guid? tenantId, KeyId? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = context.PrivateKeys.AsNoTracking();
        if (tenantId is { } tenant)
        {
            query = query.Where(p => p.TenantId == tenant);
        }

        if (after is { } afterKey)
        {
            var afterId = afterKey.Value;
            query = query.Where(p => p.KeyId.CompareTo(afterId) > 0);
        }

        var page = await query.OrderBy(p => p.KeyId).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return page.ConvertAll(entity => new StoredPrivateKey(entity.TenantId, new KeyId(entity.KeyId), KeyRecordMapping.ToRecord(entity)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListMasterKeyIdsInUseAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var wrapping = await context.PrivateKeys
            .Where(p => p.MasterKeyId != null)
            .Select(p => p.MasterKeyId!)
            .Distinct()
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var authenticating = await context.PublicKeys
            .Where(k => k.RowMacMasterKeyId != null)
            .Select(k => k.RowMacMasterKeyId!)
            .Distinct()
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var pins = await context.HsmSlots
            .Select(s => s.MasterKeyId)
            .Distinct()
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var identity = await IdentityRowMacKeys(context).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. wrapping.Union(authenticating, StringComparer.Ordinal).Union(pins, StringComparer.Ordinal).Union(identity, StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MasterKeyUseCount>> CountMasterKeyUsesAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var uses = new List<MasterKeyUseCount>();
        async Task CountAsync(MasterKeyUseKind kind, IQueryable<string> ids)
        {
            var counts = await ids.GroupBy(id => id).Select(g => new { Id = g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken).ConfigureAwait(false);
            uses.AddRange(counts.Select(c => new MasterKeyUseCount(c.Id, kind, c.Count)));
        }

        await CountAsync(MasterKeyUseKind.PrivateKey, context.PrivateKeys.Where(p => p.MasterKeyId != null).Select(p => p.MasterKeyId!)).ConfigureAwait(false);
        await CountAsync(MasterKeyUseKind.KeyRowMac, context.PublicKeys.Where(k => k.RowMacMasterKeyId != null).Select(k => k.RowMacMasterKeyId!)).ConfigureAwait(false);
        await CountAsync(MasterKeyUseKind.HsmPin, context.HsmSlots.Select(s => s.MasterKeyId)).ConfigureAwait(false);
        await CountAsync(MasterKeyUseKind.LogDigest, context.VerificationLogDigests.Select(d => d.RewrapMasterKeyId ?? d.MasterKeyId)).ConfigureAwait(false);
        await CountAsync(MasterKeyUseKind.LogCheckpoint, context.VerificationLogCheckpoints.Select(c => c.RewrapMasterKeyId ?? c.MasterKeyId)).ConfigureAwait(false);
        await CountAsync(MasterKeyUseKind.IdentityRowMac, IdentityRowMacKeys(context)).ConfigureAwait(false);
        return uses;
    }

    // The master key ids of every MAC of a row that decides access (and of a certificate authority's, certificate's or revocation's row), one per row.
    private static IQueryable<string> IdentityRowMacKeys(KeyInfraDbContext context)
        => context.Users.Where(r => r.RowMacMasterKeyId != null).Select(r => r.RowMacMasterKeyId!)
            .Concat(context.RolePermissions.Where(r => r.RowMacMasterKeyId != null).Select(r => r.RowMacMasterKeyId!))
            .Concat(context.UserRoles.Where(r => r.RowMacMasterKeyId != null).Select(r => r.RowMacMasterKeyId!))
            .Concat(context.Applications.Where(r => r.RowMacMasterKeyId != null).Select(r => r.RowMacMasterKeyId!))
            .Concat(context.ApplicationRoles.Where(r => r.RowMacMasterKeyId != null).Select(r => r.RowMacMasterKeyId!))
            .Concat(context.ApplicationCredentials.Where(r => r.RowMacMasterKeyId != null).Select(r => r.RowMacMasterKeyId!))
            .Concat(context.Curves.Where(r => r.RowMacMasterKeyId != null).Select(r => r.RowMacMasterKeyId!))
            .Concat(context.CertificateAuthorities.Where(r => r.RowMacMasterKeyId != null).Select(r => r.RowMacMasterKeyId!))
            .Concat(context.Certificates.Where(r => r.RowMacMasterKeyId != null).Select(r => r.RowMacMasterKeyId!))
            .Concat(context.RevokedCertificates.Where(r => r.RowMacMasterKeyId != null).Select(r => r.RowMacMasterKeyId!));

    // The public key row and the backend of its private key, if it has one (a subquery on private_keys): no private key
    // material is read. The row MAC covers both whether there is a private key and which backend holds it.
    private static IQueryable<PublicKeyRow> WithoutPrivateKey(KeyInfraDbContext context, IQueryable<PublicKeyEntity> keys)
        => keys.Select(k => new PublicKeyRow(k, context.PrivateKeys.Where(p => p.TenantId == k.TenantId && p.KeyId == k.Id).Select(p => p.Backend).FirstOrDefault()));

    private static KeyRecord ToRecord(PublicKeyRow row) => KeyRecordMapping.ToRecord(row.Key) with { PrivateKeyBackend = row.PrivateKeyBackend };

    private async Task<bool> RingVersionExistsAsync(Guid tenantId, string ringName, int? ringVersion, CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.PublicKeys
            .AnyAsync(k => k.TenantId == tenantId && k.RingName == ringName && k.RingVersion == ringVersion, cancellationToken)
            .ConfigureAwait(false);
    }

    private static async Task<bool> IsReferencedAsync(KeyInfraDbContext context, Guid keyId, CancellationToken cancellationToken)
    {
        // Any reference blocks the delete (the foreign keys would refuse it), whatever its tenant.
        return await context.VerificationRecords.AnyAsync(r => r.KeyId == keyId, cancellationToken).ConfigureAwait(false)
            || await context.BatchVerificationItems.AnyAsync(i => i.KeyId == keyId, cancellationToken).ConfigureAwait(false);
    }

    private sealed record PublicKeyRow(PublicKeyEntity Key, string? PrivateKeyBackend);
}
