using System.Data.Common;
using System.Runtime.CompilerServices;
using KeyInfra.EntityFrameworkCore.Entities;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// The EF Core <see cref="IHsmRepository"/>: a context per call, no tracking on reads, restrict deletes and duplicate
/// names turned into KeyInfra's error codes. Registered by <c>UseEntityFrameworkCore</c>; a provider package may wrap
/// it (PostgreSQL adds retries and row-level security).
/// </summary>
/// <remarks>Thread-safe: every call creates its own context from the factory.</remarks>
/// <param name="contextFactory">The factory of KeyInfra contexts.</param>
/// <param name="timeProvider">The clock for the slots' <c>updated_at</c>.</param>
public sealed class EfHsmRepository(IDbContextFactory<KeyInfraDbContext> contextFactory, TimeProvider timeProvider) : IHsmRepository
{
    private const int SlotPageSize = 256;

    /// <inheritdoc />
    public async Task<IReadOnlyList<HsmModuleRecord>> ListModulesAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var modules = await context.HsmModules.AsNoTracking().OrderBy(m => m.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return modules.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async Task<HsmModuleRecord?> GetModuleAsync(Guid moduleId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var module = await context.HsmModules.AsNoTracking().FirstOrDefaultAsync(m => m.Id == moduleId, cancellationToken).ConfigureAwait(false);
        return module is null ? null : ToRecord(module);
    }

    /// <inheritdoc />
    public async Task<HsmModuleRecord?> FindModuleAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var module = await context.HsmModules.AsNoTracking().FirstOrDefaultAsync(m => m.Name == name, cancellationToken).ConfigureAwait(false);
        return module is null ? null : ToRecord(module);
    }

    /// <inheritdoc />
    public async Task AddModuleAsync(HsmModuleRecord hsmModule, CancellationToken cancellationToken = default)
    {
        HsmRecordValidation.CheckModule(hsmModule, nameof(hsmModule));
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        context.HsmModules.Add(new HsmModuleEntity
        {
            Id = hsmModule.Id,
            Name = hsmModule.Name,
            LibraryPath = hsmModule.LibraryPath,
            CreatedAt = hsmModule.CreatedAt,
        });

        // A name another writer took fails the insert; that is reported as KI4201, not logged as an error.
        await context.SaveChangesOrClashAsync(
            async () => await FindModuleAsync(hsmModule.Name, CancellationToken.None).ConfigureAwait(false) is { } existing && existing.Id != hsmModule.Id
                ? HsmErrors.ModuleNameTaken(hsmModule.Name)
                : null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveModuleAsync(Guid moduleId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await context.HsmModules.AnyAsync(m => m.Id == moduleId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // Slots of any tenant the connection can see; the foreign key catches those it cannot (row-level security).
        if (await context.HsmSlots.AnyAsync(s => s.ModuleId == moduleId, cancellationToken).ConfigureAwait(false))
        {
            throw HsmErrors.ModuleInUse(moduleId);
        }

        var expected = CommandFailureInterceptor.ExpectFailure();
        try
        {
            await context.HsmModules.Where(m => m.Id == moduleId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException)
        {
            expected.Dispose();
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            if (await context.HsmSlots.AnyAsync(s => s.ModuleId == moduleId, CancellationToken.None).ConfigureAwait(false))
            {
                throw HsmErrors.ModuleInUse(moduleId);
            }

            // A provider whose slots are hidden from this connection (row-level security) maps its foreign key error itself.
            expected.NotHandled();
            throw;
        }
        finally
        {
            expected.Dispose();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<HsmSlotRecord>> ListSlotsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var slots = await context.HsmSlots.AsNoTracking().Where(s => s.TenantId == tenantId).OrderBy(s => s.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return slots.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async Task<HsmSlotRecord?> GetSlotAsync(Guid tenantId, Guid slotId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var slot = await context.HsmSlots.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId && s.Id == slotId, cancellationToken).ConfigureAwait(false);
        return slot is null ? null : ToRecord(slot);
    }

    /// <inheritdoc />
    public async Task<HsmSlotRecord?> FindSlotAsync(Guid tenantId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var slot = await context.HsmSlots.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId && s.Name == name, cancellationToken).ConfigureAwait(false);
        return slot is null ? null : ToRecord(slot);
    }

    /// <inheritdoc />
    public async Task AddSlotAsync(HsmSlotRecord slot, CancellationToken cancellationToken = default)
    {
        HsmRecordValidation.CheckSlot(slot, nameof(slot));
        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        context.HsmSlots.Add(new HsmSlotEntity
        {
            Id = slot.Id,
            TenantId = slot.TenantId,
            Name = slot.Name,
            ModuleId = slot.ModuleId,
            TokenLabel = slot.TokenLabel,
            TokenSerial = slot.TokenSerial,
            EncryptedPin = slot.EncryptedPin,
            MasterKeyId = slot.MasterKeyId,
            CreatedAt = slot.CreatedAt,
            UpdatedAt = now,
        });

        await context.SaveChangesOrClashAsync(
            async () =>
            {
                if (await FindSlotAsync(slot.TenantId, slot.Name, CancellationToken.None).ConfigureAwait(false) is { } existing && existing.Id != slot.Id)
                {
                    return HsmErrors.SlotNameTaken(slot.Name);
                }

                return await GetModuleAsync(slot.ModuleId, CancellationToken.None).ConfigureAwait(false) is null ? HsmErrors.ModuleNotFound(slot.ModuleId) : null;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> ReplacePinAsync(Guid tenantId, Guid slotId, byte[] expectedEncryptedPin, byte[] encryptedPin, string masterKeyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expectedEncryptedPin);
        HsmRecordValidation.CheckPin(encryptedPin, masterKeyId, nameof(encryptedPin));
        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        // One conditional statement: over the ciphertext the caller read, so a concurrent change is never overwritten.
        var updated = await context.HsmSlots
            .Where(s => s.TenantId == tenantId && s.Id == slotId && s.EncryptedPin == expectedEncryptedPin)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.EncryptedPin, encryptedPin)
                    .SetProperty(e => e.MasterKeyId, masterKeyId)
                    .SetProperty(e => e.UpdatedAt, now),
                cancellationToken)
            .ConfigureAwait(false);
        return updated > 0;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveSlotAsync(Guid tenantId, Guid slotId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await context.HsmSlots.AnyAsync(s => s.TenantId == tenantId && s.Id == slotId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // The foreign key ties a key to a slot of its own tenant, so every key that names the slot is visible here.
        if (await IsSlotReferencedAsync(context, tenantId, slotId, cancellationToken).ConfigureAwait(false))
        {
            throw HsmErrors.SlotInUse(slotId);
        }

        var expected = CommandFailureInterceptor.ExpectFailure();
        try
        {
            await context.HsmSlots.Where(s => s.TenantId == tenantId && s.Id == slotId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException)
        {
            // A key may have been added in the slot since the check (the foreign key caught it).
            expected.Dispose();
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            if (await IsSlotReferencedAsync(context, tenantId, slotId, CancellationToken.None).ConfigureAwait(false))
            {
                throw HsmErrors.SlotInUse(slotId);
            }

            expected.NotHandled();
            throw;
        }
        finally
        {
            expected.Dispose();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<HsmSlotRecord> ListAllSlotsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Guid? after = null;
        while (true)
        {
            var page = await ListSlotsPageAsync(null, after, SlotPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var slot in page)
            {
                yield return slot;
            }

            if (page.Count < SlotPageSize)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>
    /// One page of slots in id order: those of <paramref name="tenantId"/> (or of every tenant the connection can see,
    /// when <c>null</c>) whose id comes after <paramref name="after"/>.
    /// </summary>
    /// <param name="tenantId">The tenant, or <c>null</c> for all.</param>
    /// <param name="after">The last slot id of the previous page, or <c>null</c> for the first page.</param>
    /// <param name="limit">The most slots returned (1–1,000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>At most <paramref name="limit"/> slots; fewer means there are no more.</returns>
    public async Task<IReadOnlyList<HsmSlotRecord>> ListSlotsPageAsync(Guid? tenantId, Guid? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var slots = context.HsmSlots.AsNoTracking();
        if (tenantId is { } tenant)
        {
            slots = slots.Where(s => s.TenantId == tenant);
        }

        if (after is { } afterId)
        {
            slots = slots.Where(s => s.Id.CompareTo(afterId) > 0);
        }

        var page = await slots.OrderBy(s => s.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return page.ConvertAll(ToRecord);
    }

    private static Task<bool> IsSlotReferencedAsync(KeyInfraDbContext context, Guid tenantId, Guid slotId, CancellationToken cancellationToken)
        => context.PrivateKeys.AnyAsync(p => p.TenantId == tenantId && p.HsmSlotId == slotId, cancellationToken);

    private static HsmModuleRecord ToRecord(HsmModuleEntity entity) => new(entity.Id, entity.Name, entity.LibraryPath, entity.CreatedAt);

    private static HsmSlotRecord ToRecord(HsmSlotEntity entity)
    {
        // The check constraint says the same; a row that breaks it was written past it (or the constraint dropped).
        if ((entity.TokenLabel is null) == (entity.TokenSerial is null))
        {
            throw HsmErrors.InvalidSlotRow(entity.Id, entity.TokenLabel is null ? "neither a token label nor a serial" : "both a token label and a serial");
        }

        return new HsmSlotRecord(entity.Id, entity.TenantId, entity.Name, entity.ModuleId, entity.TokenLabel, entity.TokenSerial, entity.EncryptedPin, entity.MasterKeyId, entity.CreatedAt);
    }
}
