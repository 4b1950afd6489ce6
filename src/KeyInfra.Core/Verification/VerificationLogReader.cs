using KeyInfra.Authorization;
using KeyInfra.Caching;
using KeyInfra.Errors;
using KeyInfra.Storage;
using KeyInfra.Tenancy;

namespace KeyInfra.Verification;

/// <summary>
/// <see cref="IVerificationLog"/>: the verification log's read side, over the repository, with every read asked about
/// (<see cref="KeyInfraOperation.ReadLog"/>). Apart from the writer so that the access guard, which records its
/// decisions through the writer, does not depend on itself.
/// </summary>
internal sealed class VerificationLogReader(VerificationLog log, IVerificationLogRepository repository, ITenantContext tenant, AccessGuard access, ImportedKeyCache? keyCache = null)
    : IVerificationLog
{
    public Task FlushAsync(CancellationToken cancellationToken = default) => log.FlushAsync(cancellationToken);

    public async Task<VerificationRecordPage> QueryAsync(VerificationLogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, 1000, nameof(query));
        var tenantId = tenant.TenantId;
        var owners = await access.DemandOwnersAsync(
            KeyInfraOperation.ReadLog, tenantId, query.KeyId, await KeyOfAsync(tenantId, query.KeyId, cancellationToken).ConfigureAwait(false), query.CallerId, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<VerificationRecord> rows;
        using (OwnerScope.EnterIfAny(owners))
        {
            rows = await repository.QueryAsync(tenantId, query, cancellationToken).ConfigureAwait(false);
        }

        // The next page continues after the rows read, even when the owner scope below leaves this one short.
        var read = rows.Count > query.PageSize ? rows.Take(query.PageSize).ToArray() : rows;
        var next = rows.Count > query.PageSize ? read[^1].Id : (Guid?)null;
        return new VerificationRecordPage(owners is null ? read : await OwnedAsync(tenantId, read, owners, cancellationToken).ConfigureAwait(false), next);
    }

    public async Task<BatchVerificationRecord?> GetBatchAsync(Guid batchId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        var owners = await access.DemandOwnersAsync(KeyInfraOperation.ReadLog, tenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        var batch = await repository.GetBatchAsync(tenantId, batchId, cancellationToken).ConfigureAwait(false);

        // A batch belongs to its caller: outside the owners the authorizer named, it is not there.
        return owners is null || OwnerScope.Includes(owners, batch?.CallerId) ? batch : null;
    }

    // The engine keeps the authorizer's owner scope itself, whatever the provider enforced: a record is the owners' if
    // one of them made it or it was made with a key of theirs.
    private async Task<IReadOnlyList<VerificationRecord>> OwnedAsync(Guid tenantId, IReadOnlyList<VerificationRecord> records, IReadOnlyList<string> owners, CancellationToken cancellationToken)
    {
        var keyOwned = new Dictionary<Keys.KeyId, bool>();
        var kept = new List<VerificationRecord>(records.Count);
        foreach (var record in records)
        {
            if (OwnerScope.Includes(owners, record.CallerId) || await KeyOwnedAsync(record.RequestedKeyId).ConfigureAwait(false))
            {
                kept.Add(record);
            }
        }

        return kept;

        // Each key is looked up once per page.
        async ValueTask<bool> KeyOwnedAsync(Keys.KeyId keyId)
        {
            if (!keyOwned.TryGetValue(keyId, out var owned))
            {
                owned = OwnerScope.Includes(owners, (await KeyOfAsync(tenantId, keyId, cancellationToken).ConfigureAwait(false))?.Owner);
                keyOwned[keyId] = owned;
            }

            return owned;
        }
    }

    // A query filtered by key is asked about with the key in hand (an authorizer may let callers read only their own
    // keys' records); a key that is gone or whose row failed authentication is asked about as null.
    private async ValueTask<Keys.KeyInfo?> KeyOfAsync(Guid tenantId, Keys.KeyId? keyId, CancellationToken cancellationToken)
    {
        if (keyId is not { } id || keyCache is null)
        {
            return null;
        }

        try
        {
            return (await keyCache.GetAsync(tenantId, id, cancellationToken).ConfigureAwait(false))?.Info;
        }
        catch (KeyTamperedException)
        {
            return null;
        }
    }
}
