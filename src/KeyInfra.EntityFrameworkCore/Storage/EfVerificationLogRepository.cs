using System.Runtime.CompilerServices;
using KeyInfra.EntityFrameworkCore.Entities;
using KeyInfra.Keys;
using KeyInfra.Storage;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.EntityFrameworkCore;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// The EF Core <see cref="IVerificationLogRepository"/>. Appends bypass change tracking: one transaction per call
/// on a connection kept open for the log writer, with inserts prepared once (see <see cref="LogWriterSession"/>);
/// providers may replace it with a bulk path of their own (PostgreSQL COPY) and keep it for reads.
/// </summary>
/// <remarks>Thread-safe: appends are serialized on one connection; reads create a context per call.</remarks>
/// <param name="contextFactory">The factory of KeyInfra contexts.</param>
public sealed class EfVerificationLogRepository(IDbContextFactory<KeyInfraDbContext> contextFactory) : IVerificationLogRepository, IAsyncDisposable, IDisposable
{
    private const int MaxPageSize = 1000;

    // Appends are serialized on one long-lived session; the log writer is the only caller in practice.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LogWriterSession? _session;

    /// <inheritdoc />
    public async Task AppendAsync(LogGroup group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.IsEmpty)
        {
            return;
        }

        // Map everything first: a bad argument fails before anything reaches the database.
        var rows = new LogWriterSession.Rows();
        foreach (var record in group.Records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(group));
            rows.Records.Add(ToEntity(record));
        }

        foreach (var batch in group.Batches)
        {
            ArgumentNullException.ThrowIfNull(batch, nameof(group));
            rows.Batches.Add(ToEntity(batch));
        }

        foreach (var record in group.ControlPlane)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(group));
            rows.ControlPlane.Add(AuditRows.ToEntity(record));
        }

        foreach (var record in group.DataPlane)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(group));
            rows.DataPlane.Add(AuditRows.ToEntity(record));
        }

        foreach (var digest in group.Digests)
        {
            ArgumentNullException.ThrowIfNull(digest, nameof(group));
            rows.Digests.Add(ToEntity(digest));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _session ??= await LogWriterSession.OpenAsync(contextFactory, cancellationToken).ConfigureAwait(false);
            try
            {
                await _session.WriteAsync(rows, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Whatever failed (the connection, the schema under a prepared statement), start afresh next time.
                await DropSessionAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await DropSessionAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async Task<IReadOnlyList<VerificationRecord>> QueryAsync(Guid tenantId, VerificationLogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.PageSize, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, MaxPageSize, nameof(query));

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var records = context.VerificationRecords.AsNoTracking().Where(r => r.TenantId == tenantId);

        if (query.KeyId is { } keyId)
        {
            var requestedKeyId = keyId.Value;
            records = records.Where(r => r.RequestedKeyId == requestedKeyId);
        }

        if (query.Status is { } status)
        {
            records = records.Where(r => r.Result == status);
        }

        if (query.CallerId is { } callerId)
        {
            records = records.Where(r => r.CallerId == callerId);
        }

        if (query.From is { } from)
        {
            records = records.Where(r => r.VerifiedAt >= from);
        }

        if (query.To is { } to)
        {
            records = records.Where(r => r.VerifiedAt < to);
        }

        if (query.Before is { } before)
        {
            // Keyset paging on (verified_at, id), newest first: the cursor's time comes from its row.
            var cursor = await context.VerificationRecords
                .Where(r => r.TenantId == tenantId && r.Id == before)
                .Select(r => (DateTimeOffset?)r.VerifiedAt)
                .FirstOrDefaultAsync(cancellationToken)
                .ConfigureAwait(false);
            if (cursor is not { } cursorAt)
            {
                throw new ArgumentException(
                    $"The page cursor {before} does not name a record in this tenant's verification log. Start again without a cursor.",
                    nameof(query));
            }

            records = records.Where(r => r.VerifiedAt < cursorAt || (r.VerifiedAt == cursorAt && r.Id.CompareTo(before) < 0));
        }

        var entities = await records
            .OrderByDescending(r => r.VerifiedAt)
            .ThenByDescending(r => r.Id)
            .Take(query.PageSize + 1)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return entities.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async Task<BatchVerificationRecord?> GetBatchAsync(Guid tenantId, Guid batchId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var batch = await context.BatchVerifications
            .AsNoTracking()
            .Include(b => b.Items.OrderBy(i => i.ItemIndex))
            .FirstOrDefaultAsync(b => b.TenantId == tenantId && b.Id == batchId, cancellationToken)
            .ConfigureAwait(false);
        if (batch is null)
        {
            return null;
        }

        return new BatchVerificationRecord
        {
            Id = batch.Id,
            TenantId = batch.TenantId,
            Caller = batch.Caller,
            CallerId = batch.CallerId,
            StartedAt = batch.StartedAt,
            CompletedAt = batch.CompletedAt,
            Items = batch.Items.ConvertAll(i => ToRecord(batch, i)),
        };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LogDigest>> ReadDigestsAsync(Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var digests = await context.VerificationLogDigests.AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.CommittedAt >= since && d.CommittedAt < until)
            .OrderBy(d => d.ChainId).ThenBy(d => d.Sequence)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return digests.ConvertAll(ToDigest);
    }

    /// <inheritdoc />
    public async Task<LogDigest?> ReadDigestAsync(Guid tenantId, Guid chainId, long sequence, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var digest = await context.VerificationLogDigests.AsNoTracking()
            .FirstOrDefaultAsync(d => d.TenantId == tenantId && d.ChainId == chainId && d.Sequence == sequence, cancellationToken).ConfigureAwait(false);
        return digest is null ? null : ToDigest(digest);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LogCheckpoint>> ReadCheckpointsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var checkpoints = await context.VerificationLogCheckpoints.AsNoTracking()
            .Where(c => c.TenantId == tenantId)
            .OrderBy(c => c.ChainId).ThenBy(c => c.Sequence)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return checkpoints.ConvertAll(c => new LogCheckpoint
        {
            Digest = ToDigest(c),
            DroppedBefore = c.DroppedBefore,
            CreatedAt = c.CreatedAt,
        });
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredLogEntry>> ReadEntriesAsync(Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var records = await context.VerificationRecords.AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.VerifiedAt >= since && r.VerifiedAt < until)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var batches = await context.BatchVerifications.AsNoTracking()
            .Include(b => b.Items)
            .Where(b => b.TenantId == tenantId && b.StartedAt >= since && b.StartedAt < until)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var entries = ToStored(records, batches, []);
        entries.AddRange(await AuditRows.ReadAsync(context, tenantId, since, until, cancellationToken).ConfigureAwait(false));
        return entries;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredLogEntry>> ReadEntriesAsync(Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var idList = ids.ToList();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var records = await context.VerificationRecords.AsNoTracking()
            .Where(r => r.TenantId == tenantId && idList.Contains(r.Id))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var batches = await context.BatchVerifications.AsNoTracking()
            .Where(b => b.TenantId == tenantId && idList.Contains(b.Id))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var items = await context.BatchVerificationItems.AsNoTracking()
            .Where(i => idList.Contains(i.Id))
            .Join(context.BatchVerifications.Where(b => b.TenantId == tenantId), i => i.BatchId, b => b.Id, (i, b) => new { Item = i, b.TenantId })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var entries = ToStored(records, batches, items.ConvertAll(i => (i.Item, i.TenantId)));
        entries.AddRange(await AuditRows.ReadAsync(context, tenantId, idList, cancellationToken).ConfigureAwait(false));
        return entries;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Audit.ControlPlaneAuditRecord>> QueryControlPlaneAsync(Guid tenantId, Audit.AuditQuery query, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await AuditRows.QueryControlPlaneAsync(context, tenantId, query, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Audit.DataPlaneAuditRecord>> QueryDataPlaneAsync(Guid tenantId, Audit.AuditQuery query, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await AuditRows.QueryDataPlaneAsync(context, tenantId, query, cancellationToken).ConfigureAwait(false);
    }

    private static List<StoredLogEntry> ToStored(List<VerificationRecordEntity> records, List<BatchVerificationEntity> batches, List<(BatchVerificationItemEntity Item, Guid TenantId)> items)
    {
        var entries = new List<StoredLogEntry>(records.Count + batches.Count + items.Count);
        foreach (var r in records)
        {
            entries.Add(new StoredLogEntry
            {
                Kind = LogEntryKind.Record,
                Id = r.Id,
                TenantId = r.TenantId,
                Time = r.VerifiedAt,
                KeyId = r.KeyId,
                RequestedKeyId = r.RequestedKeyId,
                Algorithm = r.Algorithm,
                Result = StoredValues.ToText(r.Result),
                DocumentSha256 = r.DocumentSha256,
                SignatureSha256 = r.SignatureSha256,
                Caller = r.Caller,
                CallerId = r.CallerId,
                Detail = r.Detail,
            });
        }

        foreach (var b in batches)
        {
            entries.Add(new StoredLogEntry
            {
                Kind = LogEntryKind.Batch,
                Id = b.Id,
                TenantId = b.TenantId,
                Time = b.StartedAt,
                CompletedAt = b.CompletedAt,
                Caller = b.Caller,
                CallerId = b.CallerId,
                TotalCount = b.TotalCount,
                ValidCount = b.ValidCount,
            });
            foreach (var i in b.Items)
            {
                entries.Add(ToStored(i, b.TenantId));
            }
        }

        foreach (var (item, tenantId) in items)
        {
            entries.Add(ToStored(item, tenantId));
        }

        return entries;
    }

    private static StoredLogEntry ToStored(BatchVerificationItemEntity i, Guid tenantId) => new()
    {
        Kind = LogEntryKind.BatchItem,
        Id = i.Id,
        TenantId = tenantId,
        Time = i.VerifiedAt,
        BatchId = i.BatchId,
        ItemIndex = i.ItemIndex,
        KeyId = i.KeyId,
        RequestedKeyId = i.RequestedKeyId,
        Algorithm = i.Algorithm,
        Result = StoredValues.ToText(i.Result),
        DocumentSha256 = i.DocumentSha256,
        SignatureSha256 = i.SignatureSha256,
        Detail = i.Detail,
    };

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredLogDigest> ListDigestsAsync(LogDigestSelection selection, string masterKeyId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(masterKeyId);
        foreach (var checkpoints in new[] { false, true })
        {
            foreach (var (tenantId, chainId) in await ListChainsAsync(null, selection, masterKeyId, checkpoints, cancellationToken).ConfigureAwait(false))
            {
                var after = long.MinValue;
                while (true)
                {
                    var page = await ListChainPageAsync(tenantId, chainId, selection, masterKeyId, checkpoints, after, cancellationToken).ConfigureAwait(false);
                    foreach (var digest in page)
                    {
                        yield return digest;
                    }

                    if (page.Count < MaxPageSize)
                    {
                        break;
                    }

                    after = page[^1].Digest.Sequence;
                }
            }
        }
    }

    /// <summary>
    /// The (tenant, chain) pairs with digests (or checkpoints) that <paramref name="selection"/> selects for
    /// <paramref name="masterKeyId"/>: of <paramref name="tenantId"/>, or of every tenant the connection can see when <c>null</c>.
    /// </summary>
    /// <param name="tenantId">The tenant, or <c>null</c> for all.</param>
    /// <param name="selection">Which digests.</param>
    /// <param name="masterKeyId">The master key.</param>
    /// <param name="checkpoints">Whether to read the retention checkpoints rather than the digests.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<(Guid TenantId, Guid ChainId)>> ListChainsAsync(Guid? tenantId, LogDigestSelection selection, string masterKeyId, bool checkpoints, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return checkpoints
            ? await ChainsAsync(context.VerificationLogCheckpoints, tenantId, selection, masterKeyId, cancellationToken).ConfigureAwait(false)
            : await ChainsAsync(context.VerificationLogDigests, tenantId, selection, masterKeyId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One page of a chain's digests (or checkpoints) that <paramref name="selection"/> selects for <paramref name="masterKeyId"/>,
    /// by sequence, after <paramref name="after"/>.
    /// </summary>
    /// <param name="tenantId">The chain's tenant.</param>
    /// <param name="chainId">The chain.</param>
    /// <param name="selection">Which digests.</param>
    /// <param name="masterKeyId">The master key.</param>
    /// <param name="checkpoints">Whether to read the retention checkpoints rather than the digests.</param>
    /// <param name="after">The last sequence of the previous page, or <see cref="long.MinValue"/> for the first.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>At most 1,000 digests; fewer means there are no more.</returns>
    public async Task<IReadOnlyList<StoredLogDigest>> ListChainPageAsync(Guid tenantId, Guid chainId, LogDigestSelection selection, string masterKeyId, bool checkpoints, long after, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var page = checkpoints
            ? await ChainPageAsync(context.VerificationLogCheckpoints, tenantId, chainId, selection, masterKeyId, after, cancellationToken).ConfigureAwait(false)
            : await ChainPageAsync(context.VerificationLogDigests, tenantId, chainId, selection, masterKeyId, after, cancellationToken).ConfigureAwait(false);
        return page.ConvertAll(d => new StoredLogDigest(d, checkpoints));
    }

    private static async Task<IReadOnlyList<(Guid TenantId, Guid ChainId)>> ChainsAsync<T>(
        IQueryable<T> rows, Guid? tenantId, LogDigestSelection selection, string masterKeyId, CancellationToken cancellationToken)
        where T : class, IChainRow
    {
        var pairs = await rows.AsNoTracking()
            .Where(r => tenantId == null || r.TenantId == tenantId)
            .Where(Selected<T>(selection, masterKeyId))
            .Select(r => new { r.TenantId, r.ChainId }).Distinct()
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return pairs.ConvertAll(p => (p.TenantId, p.ChainId));
    }

    private static async Task<List<LogDigest>> ChainPageAsync<T>(
        IQueryable<T> rows, Guid tenantId, Guid chainId, LogDigestSelection selection, string masterKeyId, long after, CancellationToken cancellationToken)
        where T : class, IChainRow
        => (await rows.AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.ChainId == chainId && r.Sequence > after)
            .Where(Selected<T>(selection, masterKeyId))
            .OrderBy(r => r.Sequence).Take(MaxPageSize)
            .ToListAsync(cancellationToken).ConfigureAwait(false)).ConvertAll(r => ToDigest(r));

    // The predicate of a selection, on either chain table (both have the two master key columns).
    private static System.Linq.Expressions.Expression<Func<T, bool>> Selected<T>(LogDigestSelection selection, string masterKeyId)
        where T : class, IChainRow
        => selection switch
        {
            LogDigestSelection.NotUnder => d => (d.RewrapMasterKeyId ?? d.MasterKeyId) != masterKeyId,
            LogDigestSelection.MadeWith => d => d.MasterKeyId == masterKeyId,
            _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, "Not a digest selection."),
        };

    /// <inheritdoc />
    public async Task<bool> SetDigestRewrapAsync(StoredLogDigest digest, string masterKeyId, byte[] rewrapMac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentException.ThrowIfNullOrEmpty(masterKeyId);
        ArgumentNullException.ThrowIfNull(rewrapMac);
        var d = digest.Digest;
        var effective = d.EffectiveMasterKeyId;
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var updated = digest.IsCheckpoint
            ? await context.VerificationLogCheckpoints
                .Where(c => c.ChainId == d.ChainId && c.TenantId == d.TenantId && c.Sequence == d.Sequence && c.Digest == d.Digest && (c.RewrapMasterKeyId ?? c.MasterKeyId) == effective)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.RewrapMasterKeyId, masterKeyId).SetProperty(c => c.RewrapMac, rewrapMac), cancellationToken).ConfigureAwait(false)
            : await context.VerificationLogDigests
                .Where(c => c.ChainId == d.ChainId && c.TenantId == d.TenantId && c.Sequence == d.Sequence && c.Digest == d.Digest && (c.RewrapMasterKeyId ?? c.MasterKeyId) == effective)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.RewrapMasterKeyId, masterKeyId).SetProperty(c => c.RewrapMac, rewrapMac), cancellationToken).ConfigureAwait(false);
        return updated > 0;
    }

    private static VerificationLogDigestEntity ToEntity(LogDigest digest) => new()
    {
        ChainId = digest.ChainId,
        TenantId = digest.TenantId,
        Sequence = digest.Sequence,
        CommittedAt = digest.CommittedAt,
        FirstEntryAt = digest.FirstEntryAt,
        MasterKeyId = digest.MasterKeyId,
        EntryCount = digest.EntryCount,
        Manifest = digest.Manifest,
        PreviousDigest = digest.PreviousDigest,
        Digest = digest.Digest,
        RewrapMasterKeyId = digest.RewrapMasterKeyId,
        RewrapMac = digest.RewrapMac,
    };

    private static LogDigest ToDigest(IChainRow d) => new()
    {
        ChainId = d.ChainId,
        TenantId = d.TenantId,
        Sequence = d.Sequence,
        CommittedAt = d.CommittedAt,
        FirstEntryAt = d.FirstEntryAt,
        MasterKeyId = d.MasterKeyId,
        EntryCount = d.EntryCount,
        Manifest = d.Manifest,
        PreviousDigest = d.PreviousDigest,
        Digest = d.Digest,
        RewrapMasterKeyId = d.RewrapMasterKeyId,
        RewrapMac = d.RewrapMac,
    };

    private async Task DropSessionAsync()
    {
        if (_session is { } session)
        {
            _session = null;
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static VerificationRecordEntity ToEntity(VerificationRecord record)
    {
        return new VerificationRecordEntity
        {
            Id = record.Id,
            TenantId = record.TenantId,
            KeyId = record.KeyExists ? record.RequestedKeyId.Value : null,
            RequestedKeyId = record.RequestedKeyId.Value,
            Algorithm = record.Algorithm,
            Result = record.Status,
            DocumentSha256 = record.DocumentSha256,
            SignatureSha256 = record.SignatureSha256,
            VerifiedAt = record.VerifiedAt,
            Caller = record.Caller,
            CallerId = record.CallerId,
            Detail = record.Detail,
        };
    }

    private static BatchVerificationEntity ToEntity(BatchVerificationRecord batch)
    {
        ArgumentNullException.ThrowIfNull(batch.Items, nameof(batch));
        var items = new List<BatchVerificationItemEntity>(batch.Items.Count);
        var validCount = 0;
        for (var index = 0; index < batch.Items.Count; index++)
        {
            var item = batch.Items[index];
            ArgumentNullException.ThrowIfNull(item, nameof(batch));
            if (item.Status == VerificationStatus.Valid)
            {
                validCount++;
            }

            items.Add(new BatchVerificationItemEntity
            {
                Id = item.Id,
                BatchId = batch.Id,
                ItemIndex = index,
                KeyId = item.KeyExists ? item.RequestedKeyId.Value : null,
                RequestedKeyId = item.RequestedKeyId.Value,
                Algorithm = item.Algorithm,
                Result = item.Status,
                DocumentSha256 = item.DocumentSha256,
                SignatureSha256 = item.SignatureSha256,
                VerifiedAt = item.VerifiedAt,
                Detail = item.Detail,
            });
        }

        return new BatchVerificationEntity
        {
            Id = batch.Id,
            TenantId = batch.TenantId,
            Caller = batch.Caller,
            CallerId = batch.CallerId,
            StartedAt = batch.StartedAt,
            CompletedAt = batch.CompletedAt,
            TotalCount = items.Count,
            ValidCount = validCount,
            Items = items,
        };
    }

    private static VerificationRecord ToRecord(VerificationRecordEntity entity) => new()
    {
        Id = entity.Id,
        TenantId = entity.TenantId,
        RequestedKeyId = new KeyId(entity.RequestedKeyId),
        KeyExists = entity.KeyId is not null,
        Algorithm = entity.Algorithm,
        Status = entity.Result,
        DocumentSha256 = entity.DocumentSha256,
        SignatureSha256 = entity.SignatureSha256,
        VerifiedAt = entity.VerifiedAt,
        Caller = entity.Caller,
        CallerId = entity.CallerId,
        Detail = entity.Detail,
    };

    private static VerificationRecord ToRecord(BatchVerificationEntity batch, BatchVerificationItemEntity item) => new()
    {
        Id = item.Id,
        TenantId = batch.TenantId,
        RequestedKeyId = new KeyId(item.RequestedKeyId),
        KeyExists = item.KeyId is not null,
        Algorithm = item.Algorithm,
        Status = item.Result,
        DocumentSha256 = item.DocumentSha256,
        SignatureSha256 = item.SignatureSha256,
        VerifiedAt = item.VerifiedAt,
        Caller = batch.Caller,
        CallerId = batch.CallerId,
        Detail = item.Detail,
    };
}
