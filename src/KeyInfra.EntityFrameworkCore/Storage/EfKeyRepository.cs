using System.Data.Common;
using System.Runtime.CompilerServices;
using KeyInfra.EntityFrameworkCore.Entities;
using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>The EF Core <see cref="IKeyRepository"/>: a context per call, no tracking on reads.</summary>
internal sealed class EfKeyRepository(IDbContextFactory<KeyInfraDbContext> contextFactory, TimeProvider timeProvider, ILogger<EfKeyRepository> logger) : IKeyRepository
{
    // Re-encryption reads private keys in pages, so no reader stays open (and no snapshot is held)
    // while the caller writes them back.
    private const int PrivateKeyPageSize = 256;

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
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException e) when (key.RingName is not null)
        {
            expected?.Dispose();

            // Providers report the violated constraint differently, so look for the ring version instead.
            if (await RingVersionExistsAsync(key.TenantId, key.RingName, key.RingVersion, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            Log.RingKeyInsertFailed(logger, key.Id.Value, key.RingVersion, key.RingName, e);
            throw;
        }
        finally
        {
            expected?.Dispose();
        }
    }

    public async Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entity = await context.PublicKeys
            .AsNoTracking()
            .Include(k => k.PrivateKey)
            .FirstOrDefaultAsync(k => k.TenantId == tenantId && k.Id == id.Value, cancellationToken)
            .ConfigureAwait(false);
        return entity is null ? null : KeyRecordMapping.ToRecord(entity);
    }

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

    public async Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var keys = context.PublicKeys.AsNoTracking().Include(k => k.PrivateKey).Where(k => k.TenantId == tenantId);
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

        var entities = await keys.OrderBy(k => k.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return entities.ConvertAll(KeyRecordMapping.ToRecord);
    }

    public async Task<bool> UpdateLifecycleAsync(KeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var updated = await context.PublicKeys
            .Where(k => k.TenantId == key.TenantId && k.Id == key.Id.Value)
            .ExecuteUpdateAsync(
                s => s.SetProperty(k => k.Status, key.Status)
                    .SetProperty(k => k.ExpiresAt, key.ExpiresAt)
                    .SetProperty(k => k.RevokedAt, key.RevokedAt)
                    .SetProperty(k => k.RevocationReason, key.RevocationReason)
                    .SetProperty(k => k.UpdatedAt, now)
                    .SetProperty(k => k.Version, k => k.Version + 1),
                cancellationToken)
            .ConfigureAwait(false);
        return updated > 0;
    }

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
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

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

    public async IAsyncEnumerable<StoredPrivateKey> ListPrivateKeysAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Guid? after = null;
        while (true)
        {
            List<PrivateKeyEntity> page;
            await using (var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
            {
                var query = context.PrivateKeys.AsNoTracking();
                if (after is { } afterId)
                {
                    query = query.Where(p => p.KeyId.CompareTo(afterId) > 0);
                }

                page = await query.OrderBy(p => p.KeyId).Take(PrivateKeyPageSize).ToListAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var entity in page)
            {
                yield return new StoredPrivateKey(entity.TenantId, new KeyId(entity.KeyId), KeyRecordMapping.ToRecord(entity));
            }

            if (page.Count < PrivateKeyPageSize)
            {
                yield break;
            }

            after = page[^1].KeyId;
        }
    }

    public async Task<IReadOnlyList<string>> ListMasterKeyIdsInUseAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.PrivateKeys
            .Where(p => p.MasterKeyId != null)
            .Select(p => p.MasterKeyId!)
            .Distinct()
            .OrderBy(id => id)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

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
}
