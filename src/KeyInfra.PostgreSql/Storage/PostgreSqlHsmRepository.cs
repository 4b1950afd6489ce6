using System.Runtime.CompilerServices;
using KeyInfra.EntityFrameworkCore;
using KeyInfra.EntityFrameworkCore.Storage;
using KeyInfra.Errors;
using KeyInfra.PostgreSql.Tenancy;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>
/// The PostgreSQL <see cref="IHsmRepository"/>: the shared EF Core repository, its slot calls run under the tenant they
/// are given (so row-level security on <c>hsm_slots</c> filters for that tenant), with transient failures retried and
/// text PostgreSQL cannot store refused up front. Modules are global (<c>hsm_modules</c> has no tenant and no policy).
/// The cross-tenant slot listing goes through a database function that reveals only which tenants have slots.
/// </summary>
internal sealed class PostgreSqlHsmRepository : IHsmRepository
{
    private const int SlotPageSize = 256;

    private readonly IDbContextFactory<KeyInfraDbContext> _contextFactory;
    private readonly EfHsmRepository _inner;
    private readonly TransientRetry _retry;

    public PostgreSqlHsmRepository(IDbContextFactory<KeyInfraDbContext> contextFactory, TimeProvider timeProvider, PostgreSqlStorage storage, ILogger<PostgreSqlHsmRepository> logger)
    {
        _contextFactory = contextFactory;
        _inner = new EfHsmRepository(contextFactory, timeProvider);
        _retry = new TransientRetry(storage.Options, logger);
    }

    public Task<IReadOnlyList<HsmModuleRecord>> ListModulesAsync(CancellationToken cancellationToken = default)
        => _retry.ExecuteAsync(() => _inner.ListModulesAsync(cancellationToken), cancellationToken);

    public Task<HsmModuleRecord?> GetModuleAsync(Guid moduleId, CancellationToken cancellationToken = default)
        => _retry.ExecuteAsync(() => _inner.GetModuleAsync(moduleId, cancellationToken), cancellationToken);

    public async Task<HsmModuleRecord?> FindModuleAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!PostgreSqlText.IsStorable(name))
        {
            return null;
        }

        return await _retry.ExecuteAsync(() => _inner.FindModuleAsync(name, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task AddModuleAsync(HsmModuleRecord hsmModule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hsmModule);
        PostgreSqlText.Check(hsmModule.Name, nameof(hsmModule));
        PostgreSqlText.Check(hsmModule.LibraryPath, nameof(hsmModule));
        var attempted = false;
        await _retry.ExecuteAsync(
            async () =>
            {
                // The first attempt may have committed before its connection dropped; the id says whether it did.
                if (attempted && await _inner.GetModuleAsync(hsmModule.Id, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return;
                }

                attempted = true;
                await _inner.AddModuleAsync(hsmModule, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RemoveModuleAsync(Guid moduleId, CancellationToken cancellationToken = default)
    {
        var attempted = false;
        return await _retry.ExecuteAsync(
            async () =>
            {
                if (attempted && await _inner.GetModuleAsync(moduleId, cancellationToken).ConfigureAwait(false) is null)
                {
                    return true;
                }

                attempted = true;

                // Row-level security hides other tenants' slots from the shared repository's in-use check: a function
                // that answers only whether any slot names the module sees them all.
                if (await IsModuleInUseAsync(moduleId, cancellationToken).ConfigureAwait(false))
                {
                    throw HsmInUse(moduleId, null);
                }

                try
                {
                    return await _inner.RemoveModuleAsync(moduleId, cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation && ex.ConstraintName == "fk_hsm_slots_module_id")
                {
                    // A slot added by another tenant since the check: the foreign key refused the delete.
                    throw HsmInUse(moduleId, ex);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<HsmSlotRecord>> ListSlotsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.ListSlotsAsync(tenantId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<HsmSlotRecord?> GetSlotAsync(Guid tenantId, Guid slotId, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.GetSlotAsync(tenantId, slotId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<HsmSlotRecord?> FindSlotAsync(Guid tenantId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!PostgreSqlText.IsStorable(name))
        {
            return null;
        }

        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.FindSlotAsync(tenantId, name, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task AddSlotAsync(HsmSlotRecord slot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slot);
        PostgreSqlText.Check(slot.Name, nameof(slot));
        PostgreSqlText.Check(slot.TokenLabel, nameof(slot));
        PostgreSqlText.Check(slot.TokenSerial, nameof(slot));
        PostgreSqlText.Check(slot.MasterKeyId, nameof(slot));
        using var scope = TenantScope.Enter(slot.TenantId);
        var attempted = false;
        await _retry.ExecuteAsync(
            async () =>
            {
                if (attempted && await _inner.GetSlotAsync(slot.TenantId, slot.Id, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return;
                }

                attempted = true;
                await _inner.AddSlotAsync(slot, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ReplacePinAsync(Guid tenantId, Guid slotId, byte[] expectedEncryptedPin, byte[] encryptedPin, string masterKeyId, CancellationToken cancellationToken = default)
    {
        PostgreSqlText.Check(masterKeyId, nameof(masterKeyId));
        using var scope = TenantScope.Enter(tenantId);

        // Safe to retry: an attempt that committed changed the ciphertext, so a second one matches nothing and the
        // caller reads the slot again, finding its own value.
        return await _retry.ExecuteAsync(() => _inner.ReplacePinAsync(tenantId, slotId, expectedEncryptedPin, encryptedPin, masterKeyId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RemoveSlotAsync(Guid tenantId, Guid slotId, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        var attempted = false;
        return await _retry.ExecuteAsync(
            async () =>
            {
                if (attempted && await _inner.GetSlotAsync(tenantId, slotId, cancellationToken).ConfigureAwait(false) is null)
                {
                    return true;
                }

                attempted = true;
                try
                {
                    return await _inner.RemoveSlotAsync(tenantId, slotId, cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation && ex.ConstraintName == "fk_private_keys_tenant_id_hsm_slot_id")
                {
                    throw new KeyInfraException(ErrorCodes.HsmSlotInUse, $"HSM slot {slotId} cannot be removed: private keys held in its token name it. Delete those keys first; nothing was removed.", ex);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<HsmSlotRecord> ListAllSlotsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Row-level security shows one tenant at a time: the tenants that have slots (a function that reveals only
        // their ids), then each tenant's slots under its own setting.
        var tenants = await _retry.ExecuteAsync(
            async () =>
            {
                await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                return await context.Database
                    .SqlQueryRaw<Guid>("SELECT tenant_id AS \"Value\" FROM keyinfra_hsm_slot_tenants() ORDER BY 1")
                    .ToListAsync(cancellationToken)
                    .ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        foreach (var tenantId in tenants)
        {
            Guid? after = null;
            while (true)
            {
                IReadOnlyList<HsmSlotRecord> page;
                using (TenantScope.Enter(tenantId))
                {
                    page = await _retry.ExecuteAsync(() => _inner.ListSlotsPageAsync(tenantId, after, SlotPageSize, cancellationToken), cancellationToken).ConfigureAwait(false);
                }

                foreach (var slot in page)
                {
                    yield return slot;
                }

                if (page.Count < SlotPageSize)
                {
                    break;
                }

                after = page[^1].Id;
            }
        }
    }

    private async Task<bool> IsModuleInUseAsync(Guid moduleId, CancellationToken cancellationToken)
    {
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.Database
            .SqlQuery<bool>($"SELECT keyinfra_hsm_module_in_use({moduleId}) AS \"Value\"")
            .SingleAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    private static KeyInfraException HsmInUse(Guid moduleId, Exception? inner)
        => new(ErrorCodes.HsmModuleInUse, $"PKCS#11 module {moduleId} cannot be removed: HSM slots (of this or another tenant) name it. Remove those slots first; nothing was removed.", inner);
}
