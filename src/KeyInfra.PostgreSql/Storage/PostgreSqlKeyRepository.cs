using System.Runtime.CompilerServices;
using KeyInfra.EntityFrameworkCore;
using KeyInfra.EntityFrameworkCore.Storage;
using KeyInfra.Keys;
using KeyInfra.PostgreSql.Tenancy;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>
/// The PostgreSQL <see cref="IKeyRepository"/>: the shared EF Core repository, run under the tenant it is given (so
/// row-level security filters for that tenant), with transient failures retried and text PostgreSQL cannot store
/// refused up front. The cross-tenant maintenance reads go through the database functions the migrations create,
/// because row-level security hides other tenants' rows from the application role.
/// </summary>
internal sealed class PostgreSqlKeyRepository : IKeyRepository
{
    private const int PrivateKeyPageSize = 256;

    private readonly IDbContextFactory<KeyInfraDbContext> _contextFactory;
    private readonly EfKeyRepository _inner;
    private readonly TransientRetry _retry;

    public PostgreSqlKeyRepository(IDbContextFactory<KeyInfraDbContext> contextFactory, TimeProvider timeProvider, PostgreSqlStorage storage, ILogger<PostgreSqlKeyRepository> logger)
    {
        _contextFactory = contextFactory;
        _inner = new EfKeyRepository(contextFactory, timeProvider);
        _retry = new TransientRetry(storage.Options, logger);
    }

    public async Task<bool> AddAsync(KeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        PostgreSqlText.Check(key.Name, nameof(key));
        PostgreSqlText.Check(key.Owner, nameof(key));
        PostgreSqlText.Check(key.RingName, nameof(key));
        PostgreSqlText.Check(key.PrivateKey?.MasterKeyId, nameof(key));
        foreach (var (name, value) in key.Metadata)
        {
            PostgreSqlText.Check(name, nameof(key));
            PostgreSqlText.Check(value, nameof(key));
        }

        using var scope = TenantScope.Enter(key.TenantId);
        var attempted = false;
        return await _retry.ExecuteAsync(
            async () =>
            {
                // The first attempt may have committed before its connection dropped; the id says whether it did.
                if (attempted && await _inner.FindAsync(key.TenantId, key.Id, includePrivateKey: false, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return true;
                }

                attempted = true;
                return await _inner.AddAsync(key, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default)
        => FindAsync(tenantId, id, includePrivateKey: true, cancellationToken);

    public async Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, bool includePrivateKey, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.FindAsync(tenantId, id, includePrivateKey, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<KeyRecord?> FindLatestInRingAsync(Guid tenantId, string ringName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ringName);
        if (!PostgreSqlText.IsStorable(ringName))
        {
            return null;
        }

        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.FindLatestInRingAsync(tenantId, ringName, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<KeyRecord>> FindByPublicKeyAsync(Guid tenantId, PublicKeyLookup lookup, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.FindByPublicKeyAsync(tenantId, lookup, limit, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, CancellationToken cancellationToken = default)
        => ListAsync(tenantId, query, limit, includePrivateKey: true, cancellationToken);

    public async Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, bool includePrivateKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!PostgreSqlText.IsStorable(query.RingName) || !PostgreSqlText.IsStorable(query.Owner))
        {
            // No stored value holds a NUL, so nothing matches; PostgreSQL would refuse the parameter instead.
            return [];
        }

        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.ListAsync(tenantId, query, limit, includePrivateKey, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpdateLifecycleAsync(KeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var scope = TenantScope.Enter(key.TenantId);
        return await _retry.ExecuteAsync(() => _inner.UpdateLifecycleAsync(key, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpdateRowMacAsync(Guid tenantId, KeyId id, long version, byte[] rowMac, string masterKeyId, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.UpdateRowMacAsync(tenantId, id, version, rowMac, masterKeyId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<KeyRecord> ListKeyRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // As for private keys: the tenants that hold keys (a function that reveals only their ids), then each
        // tenant's rows under its own row-level security setting.
        List<Guid> tenants;
        await using (var context = await _contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            tenants = await context.Database
                .SqlQueryRaw<Guid>("SELECT tenant_id AS \"Value\" FROM keyinfra_key_tenants() ORDER BY 1")
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
        }

        foreach (var tenantId in tenants)
        {
            KeyId? after = null;
            while (true)
            {
                IReadOnlyList<KeyRecord> page;
                using (TenantScope.Enter(tenantId))
                {
                    page = await _retry.ExecuteAsync(() => _inner.ListKeyRowsPageAsync(tenantId, after, PrivateKeyPageSize, cancellationToken), cancellationToken).ConfigureAwait(false);
                }

                foreach (var key in page)
                {
                    yield return key;
                }

                if (page.Count < PrivateKeyPageSize)
                {
                    break;
                }

                after = page[^1].Id;
            }
        }
    }

    public async Task<bool> UpdatePrivateKeyAsync(Guid tenantId, KeyId id, PrivateKeyRecord privateKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        PostgreSqlText.Check(privateKey.MasterKeyId, nameof(privateKey));
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.UpdatePrivateKeyAsync(tenantId, id, privateKey, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeleteKeyOutcome> DeleteAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        var attempted = false;
        return await _retry.ExecuteAsync(
            async () =>
            {
                // The first attempt may have committed before its connection dropped: the key being gone then means
                // it was deleted (by that attempt, or by someone else meanwhile), not that there was none.
                if (attempted && await _inner.FindAsync(tenantId, id, includePrivateKey: false, cancellationToken).ConfigureAwait(false) is null)
                {
                    return DeleteKeyOutcome.Deleted;
                }

                attempted = true;
                try
                {
                    return await _inner.DeleteAsync(tenantId, id, cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation && IsKeyReference(ex.ConstraintName))
                {
                    // Row-level security hides other tenants' records from the in-use check, not from the foreign
                    // keys: a record of any tenant that names the key refuses the delete, and the key is in use.
                    return DeleteKeyOutcome.InUse;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<StoredPrivateKey> ListPrivateKeysAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Row-level security shows one tenant at a time: list the tenants that hold private keys (a function that
        // reveals only their ids), then page through each under its own tenant setting.
        List<Guid> tenants;
        await using (var context = await _contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            tenants = await context.Database
                .SqlQueryRaw<Guid>("SELECT tenant_id AS \"Value\" FROM keyinfra_private_key_tenants() ORDER BY 1")
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
        }

        foreach (var tenantId in tenants)
        {
            KeyId? after = null;
            while (true)
            {
                IReadOnlyList<StoredPrivateKey> page;
                using (TenantScope.Enter(tenantId))
                {
                    page = await _retry.ExecuteAsync(() => _inner.ListPrivateKeysPageAsync(tenantId, after, PrivateKeyPageSize, cancellationToken), cancellationToken).ConfigureAwait(false);
                }

                foreach (var key in page)
                {
                    yield return key;
                }

                if (page.Count < PrivateKeyPageSize)
                {
                    break;
                }

                after = page[^1].KeyId;
            }
        }
    }

    public async Task<IReadOnlyList<string>> ListMasterKeyIdsInUseAsync(CancellationToken cancellationToken = default)
    {
        return await _retry.ExecuteAsync(
            async () =>
            {
                await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                return (IReadOnlyList<string>)await context.Database
                    .SqlQueryRaw<string>("SELECT master_key_id AS \"Value\" FROM keyinfra_master_key_ids_in_use() ORDER BY 1")
                    .ToListAsync(cancellationToken)
                    .ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MasterKeyUseCount>> CountMasterKeyUsesAsync(CancellationToken cancellationToken = default)
    {
        // Row-level security hides other tenants' rows: a SECURITY DEFINER function counts them, revealing ids and counts only.
        var rows = await _retry.ExecuteAsync(
            async () =>
            {
                await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                return await context.Database
                    .SqlQueryRaw<MasterKeyUseRow>("SELECT master_key_id AS \"MasterKeyId\", kind AS \"Kind\", uses AS \"Uses\" FROM keyinfra_master_key_uses()")
                    .ToListAsync(cancellationToken)
                    .ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => new MasterKeyUseCount(r.MasterKeyId, ParseKind(r.Kind), r.Uses));
    }

    private static MasterKeyUseKind ParseKind(string kind) => kind switch
    {
        "private_key" => MasterKeyUseKind.PrivateKey,
        "key_row_mac" => MasterKeyUseKind.KeyRowMac,
        "hsm_pin" => MasterKeyUseKind.HsmPin,
        "log_digest" => MasterKeyUseKind.LogDigest,
        "log_checkpoint" => MasterKeyUseKind.LogCheckpoint,
        "identity_row_mac" => MasterKeyUseKind.IdentityRowMac,
        _ => throw new InvalidOperationException($"keyinfra_master_key_uses() returned an unknown kind '{kind}': the database was migrated by a newer release."),
    };

    // The foreign keys of the log tables to public_keys (ON DELETE RESTRICT).
    private static bool IsKeyReference(string? constraintName)
        => constraintName is "fk_verification_records_key_id" or "fk_batch_verification_items_key_id";

    private sealed class MasterKeyUseRow
    {
        public string MasterKeyId { get; set; } = "";

        public string Kind { get; set; } = "";

        public long Uses { get; set; }
    }
}
