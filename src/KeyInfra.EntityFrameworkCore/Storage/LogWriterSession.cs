using System.Data.Common;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// The verification log writer's own connection, kept open between group commits with its inserts
/// prepared once: a commit then costs the rows and the transaction, not a context, a connection open (and its
/// per-connection setup) and three statement compilations.
/// </summary>
/// <remarks>Not thread-safe: its owner serializes the calls. Any failure discards the session; the next commit opens a new one.</remarks>
internal sealed class LogWriterSession : IAsyncDisposable
{
    private readonly KeyInfraDbContext _context;
    private readonly DbConnection _connection;
    private PreparedInsert? _insertRecord;
    private PreparedInsert? _insertBatch;
    private PreparedInsert? _insertItem;
    private PreparedInsert? _insertDigest;
    private PreparedInsert? _insertControlPlane;
    private PreparedInsert? _insertDataPlane;

    private LogWriterSession(KeyInfraDbContext context, DbConnection connection)
    {
        _context = context;
        _connection = connection;
    }

    public static async Task<LogWriterSession> OpenAsync(IDbContextFactory<KeyInfraDbContext> contextFactory, CancellationToken cancellationToken)
    {
        var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return new LogWriterSession(context, context.Database.GetDbConnection());
        }
        catch
        {
            await context.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Writes every row, the group's chain digests included, in one transaction: all of it commits, or none.</summary>
    public async Task WriteAsync(Rows rows, CancellationToken cancellationToken)
    {
        var (records, batches, digests) = (rows.Records, rows.Batches, rows.Digests);
        var transaction = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            if (records.Count > 0)
            {
                var insertRecord = _insertRecord ??= await PreparedInsert.CreateAsync(_context, _connection, typeof(VerificationRecordEntity), cancellationToken).ConfigureAwait(false);
                insertRecord.Enlist(transaction);
                foreach (var entity in records)
                {
                    await insertRecord.InsertAsync(entity, cancellationToken).ConfigureAwait(false);
                }
            }

            if (batches.Count > 0)
            {
                var insertBatch = _insertBatch ??= await PreparedInsert.CreateAsync(_context, _connection, typeof(BatchVerificationEntity), cancellationToken).ConfigureAwait(false);
                var insertItem = _insertItem ??= await PreparedInsert.CreateAsync(_context, _connection, typeof(BatchVerificationItemEntity), cancellationToken).ConfigureAwait(false);
                insertBatch.Enlist(transaction);
                insertItem.Enlist(transaction);
                foreach (var batch in batches)
                {
                    await insertBatch.InsertAsync(batch, cancellationToken).ConfigureAwait(false);
                    foreach (var item in batch.Items)
                    {
                        await insertItem.InsertAsync(item, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (rows.ControlPlane.Count > 0)
            {
                var insert = _insertControlPlane ??= await PreparedInsert.CreateAsync(_context, _connection, typeof(ControlPlaneAuditEntity), cancellationToken).ConfigureAwait(false);
                insert.Enlist(transaction);
                foreach (var entity in rows.ControlPlane)
                {
                    await insert.InsertAsync(entity, cancellationToken).ConfigureAwait(false);
                }
            }

            if (rows.DataPlane.Count > 0)
            {
                var insert = _insertDataPlane ??= await PreparedInsert.CreateAsync(_context, _connection, typeof(DataPlaneAuditEntity), cancellationToken).ConfigureAwait(false);
                insert.Enlist(transaction);
                foreach (var entity in rows.DataPlane)
                {
                    await insert.InsertAsync(entity, cancellationToken).ConfigureAwait(false);
                }
            }

            if (digests.Count > 0)
            {
                var insertDigest = _insertDigest ??= await PreparedInsert.CreateAsync(_context, _connection, typeof(VerificationLogDigestEntity), cancellationToken).ConfigureAwait(false);
                insertDigest.Enlist(transaction);
                foreach (var digest in digests)
                {
                    await insertDigest.InsertAsync(digest, cancellationToken).ConfigureAwait(false);
                }
            }

            // Disposing the transaction without this commit rolls everything back.
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _insertRecord?.Dispose();
        _insertBatch?.Dispose();
        _insertItem?.Dispose();
        _insertDigest?.Dispose();
        _insertControlPlane?.Dispose();
        _insertDataPlane?.Dispose();
        await _context.Database.CloseConnectionAsync().ConfigureAwait(false);
        await _context.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The rows of one group commit, mapped.</summary>
    internal sealed class Rows
    {
        public List<VerificationRecordEntity> Records { get; } = [];

        public List<BatchVerificationEntity> Batches { get; } = [];

        public List<ControlPlaneAuditEntity> ControlPlane { get; } = [];

        public List<DataPlaneAuditEntity> DataPlane { get; } = [];

        public List<VerificationLogDigestEntity> Digests { get; } = [];
    }
}
