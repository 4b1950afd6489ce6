using KeyInfra.EntityFrameworkCore.Entities;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>The EF Core <see cref="IMasterKeyRepository"/>. Master key checks are global, not per tenant.</summary>
internal sealed class EfMasterKeyRepository(IDbContextFactory<KeyInfraDbContext> contextFactory) : IMasterKeyRepository
{
    public async Task<IReadOnlyList<MasterKeyCheck>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entities = await context.MasterKeys
            .AsNoTracking()
            .OrderBy(m => m.CreatedAt)
            .ThenBy(m => m.Id)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return entities.ConvertAll(m => new MasterKeyCheck(m.Id, m.CheckValue, m.CreatedAt));
    }

    public async Task AddAsync(MasterKeyCheck check, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentException.ThrowIfNullOrEmpty(check.KeyId);
        ArgumentNullException.ThrowIfNull(check.CheckValue);

        if (await ExistsAsync(check.KeyId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        context.MasterKeys.Add(new MasterKeyEntity { Id = check.KeyId, CheckValue = check.CheckValue, CreatedAt = check.CreatedAt });
        try
        {
            await context.SaveChangesOrStorageErrorAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another instance may have added it between the check and the insert: the first one stays.
            if (!await ExistsAsync(check.KeyId, CancellationToken.None).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    public async Task<bool> ReplaceAsync(string keyId, byte[] expected, byte[] replacement, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(replacement);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var updated = await context.MasterKeys
            .Where(m => m.Id == keyId && m.CheckValue == expected)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.CheckValue, replacement), cancellationToken)
            .ConfigureAwait(false);
        return updated > 0;
    }

    public async Task<MasterSecretSalt> GetOrAddSecretSaltAsync(MasterSecretSalt proposed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(proposed.Salt);
        if (await FindSaltAsync(cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        await using (var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            context.MasterSecretSalts.Add(new MasterSecretSaltEntity
            {
                Id = MasterSecretSaltEntity.SingletonId,
                Algorithm = proposed.Algorithm,
                Salt = proposed.Salt,
                MemoryKib = proposed.MemoryKib,
                Iterations = proposed.Iterations,
                Parallelism = proposed.Parallelism,
                CreatedAt = proposed.CreatedAt,
            });
            try
            {
                await context.SaveChangesOrStorageErrorAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // Another instance stored its salt between the read and the insert: the first one stays, and is read below.
            }
        }

        // Read back, whoever won: every instance derives from the row the database holds.
        return await FindSaltAsync(CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The master secret salt was stored but cannot be read back.");
    }

    private async Task<MasterSecretSalt?> FindSaltAsync(CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await context.MasterSecretSalts.AsNoTracking().SingleOrDefaultAsync(s => s.Id == MasterSecretSaltEntity.SingletonId, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new MasterSecretSalt(row.Algorithm, row.Salt, row.MemoryKib, row.Iterations, row.Parallelism, row.CreatedAt);
    }

    private async Task<bool> ExistsAsync(string keyId, CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.MasterKeys.AnyAsync(m => m.Id == keyId, cancellationToken).ConfigureAwait(false);
    }
}
