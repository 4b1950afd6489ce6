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

        if (owners is not null)
        {
            return await ScopedPageAsync(tenantId, rows, query.PageSize, owners, cancellationToken).ConfigureAwait(false);
        }

        if (rows.Count > query.PageSize)
        {
            var page = rows.Take(query.PageSize).ToArray();
            return new VerificationRecordPage(page, page[^1].Id);
        }

        return new VerificationRecordPage(rows, null);
    }

    public async Task<BatchVerificationRecord?> GetBatchAsync(Guid batchId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        var owners = await access.DemandOwnersAsync(KeyInfraOperation.ReadLog, tenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        var batch = await repository.GetBatchAsync(tenantId, batchId, cancellationToken).ConfigureAwait(false);

        // A batch belongs to its caller: outside the owners the authorizer named, it is not there.
        return owners is null || (batch?.CallerId is { } callerId && owners.Contains(callerId, StringComparer.Ordinal)) ? batch : null;
    }

    // The engine keeps the authorizer's owner scope itself, whatever the provider enforced: a record is the owners' if
    // one of them made it or it was made with a key of theirs. The page may come out shorter than asked for; the next
    // one continues after the rows read.
    private async Task<VerificationRecordPage> ScopedPageAsync(Guid tenantId, IReadOnlyList<VerificationRecord> rows, int pageSize, IReadOnlyList<string> owners, CancellationToken cancellationToken)
    {
        var read = rows.Count > pageSize ? rows.Take(pageSize).ToArray() : rows;
        var keyOwned = new Dictionary<Keys.KeyId, bool>();
        var kept = new List<VerificationRecord>(read.Count);
        foreach (var record in read)
        {
            if (record.CallerId is { } callerId && owners.Contains(callerId, StringComparer.Ordinal))
            {
                kept.Add(record);
                continue;
            }

            if (!keyOwned.TryGetValue(record.RequestedKeyId, out var owned))
            {
                owned = (await KeyOfAsync(tenantId, record.RequestedKeyId, cancellationToken).ConfigureAwait(false))?.Owner is { } keyOwner
                    && owners.Contains(keyOwner, StringComparer.Ordinal);
                keyOwned[record.RequestedKeyId] = owned;
            }

            if (owned)
            {
                kept.Add(record);
            }
        }

        return new VerificationRecordPage(kept, rows.Count > pageSize ? read[^1].Id : null);
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
