using System.Runtime.CompilerServices;
using KeyInfra.Audit;
using KeyInfra.EntityFrameworkCore;
using KeyInfra.EntityFrameworkCore.Storage;
using KeyInfra.PostgreSql.Connection;
using KeyInfra.PostgreSql.Tenancy;
using KeyInfra.Storage;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>
/// The PostgreSQL <see cref="IVerificationLogRepository"/>. Each group commit is one transaction. A large group streams
/// its rows with binary COPY into session temp tables and moves them into the log tables with one
/// <c>INSERT … SELECT</c> per tenant: COPY cannot write to tables under row-level security, and this way every row
/// still passes the tenant policy's check. A small group skips the staging: one <c>INSERT … SELECT FROM unnest(…)</c>
/// per tenant and table, with the rows as array parameters, sent with <c>BEGIN</c> and <c>COMMIT</c> in one round trip.
/// Reads are the shared EF Core queries.
/// </summary>
/// <remarks>
/// Appends are serialized on one dedicated connection, which keeps the temp tables; the log writer is the only
/// caller in practice. A connection found broken before the commit could have run (the server refused a statement
/// before <c>COMMIT</c>, or the connection failed before the last round trip) is replaced and the group written
/// again; a failure in the round trip that carries <c>COMMIT</c> without the server saying which statement failed is
/// reported, never retried (it may have committed).
/// </remarks>
internal sealed class PostgreSqlVerificationLogRepository : IVerificationLogRepository, IAsyncDisposable, IDisposable
{
    private const string RecordColumns = "id, tenant_id, key_id, requested_key_id, algorithm, result, document_sha256, signature_sha256, verified_at, caller, caller_id, detail";
    private const string BatchColumns = "id, tenant_id, caller, caller_id, started_at, completed_at, total_count, valid_count";
    private const string ItemColumns = "id, batch_id, item_index, key_id, requested_key_id, algorithm, result, document_sha256, signature_sha256, verified_at, detail";

    // ON COMMIT DELETE ROWS empties the tables at the end of a transaction that used them (PostgreSQL skips the
    // truncation in transactions that touched no temp table, so the array path does not pay for it).
    private const string CreateStagingTables =
        "CREATE TEMP TABLE IF NOT EXISTS keyinfra_stage_records (LIKE verification_records) ON COMMIT DELETE ROWS;" +
        "CREATE TEMP TABLE IF NOT EXISTS keyinfra_stage_batches (LIKE batch_verifications) ON COMMIT DELETE ROWS;" +
        "CREATE TEMP TABLE IF NOT EXISTS keyinfra_stage_items (LIKE batch_verification_items) ON COMMIT DELETE ROWS;";

    // The log appends the same rows again after a failure it cannot tell from a commit (a retried group, or its
    // rows one by one after the group failed): a row already stored is skipped, not an error.
    private const string OnConflict = "ON CONFLICT DO NOTHING";

    // The owners are cleared too: a pooled connection that skipped Npgsql's reset must not bring an EF session's scope.
    private const string SetTenant = $"SELECT set_config('{TenantConnectionInterceptor.SettingName}', $1::text, true), set_config('{TenantConnectionInterceptor.OwnersSettingName}', '', true)";

    private const string InsertRecordArrays =
        $"INSERT INTO verification_records ({RecordColumns}) " +
        "SELECT r.id, $1, r.key_id, r.requested_key_id, r.algorithm, r.result, r.document_sha256, r.signature_sha256, r.verified_at, r.caller, r.caller_id, r.detail " +
        "FROM unnest($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) AS r(id, key_id, requested_key_id, algorithm, result, document_sha256, signature_sha256, verified_at, caller, caller_id, detail) " +
        OnConflict;

    private const string InsertBatchArrays =
        $"INSERT INTO batch_verifications ({BatchColumns}) " +
        "SELECT b.id, $1, b.caller, b.caller_id, b.started_at, b.completed_at, b.total_count, b.valid_count " +
        "FROM unnest($2, $3, $4, $5, $6, $7, $8) AS b(id, caller, caller_id, started_at, completed_at, total_count, valid_count) " +
        OnConflict;

    private const string InsertItemArrays =
        $"INSERT INTO batch_verification_items ({ItemColumns}) " +
        "SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) " +
        OnConflict;

    private const string InsertControlPlaneArrays =
        "INSERT INTO control_plane_audit (id, tenant_id, occurred_at, actor_type, actor_id, actor_ip, request_id, action, target_type, target_id, before, after) " +
        "SELECT a.id, $1, a.occurred_at, a.actor_type, a.actor_id, a.actor_ip, a.request_id, a.action, a.target_type, a.target_id, a.before, a.after " +
        "FROM unnest($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) AS a(id, occurred_at, actor_type, actor_id, actor_ip, request_id, action, target_type, target_id, before, after) " +
        OnConflict;

    private const string InsertDataPlaneArrays =
        "INSERT INTO data_plane_audit (id, tenant_id, occurred_at, actor_type, actor_id, actor_ip, request_id, action, decision, reason, key_id) " +
        "SELECT a.id, $1, a.occurred_at, a.actor_type, a.actor_id, a.actor_ip, a.request_id, a.action, a.decision, a.reason, a.key_id " +
        "FROM unnest($2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS a(id, occurred_at, actor_type, actor_id, actor_ip, request_id, action, decision, reason, key_id) " +
        OnConflict;

    // A seal's digest for the tenant set by SetTenant ($1), in the transaction of the group it was committed with.
    private const string InsertDigest =
        "INSERT INTO verification_log_digests (chain_id, tenant_id, sequence, committed_at, first_entry_at, master_key_id, entry_count, manifest, previous_digest, digest) " +
        "VALUES ($2, $1, $3, $4, $5, $6, $7, $8, $9, $10) " +
        OnConflict;

    private readonly PostgreSqlDataSource _dataSource;
    private readonly EfVerificationLogRepository _reads;
    private readonly TransientRetry _retry;
    private readonly ILogger _logger;
    private readonly int _copyThreshold;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<int> _knownMonths = [];
    private NpgsqlConnection? _connection;
    private bool _staging;
    private bool _disposed;

    public PostgreSqlVerificationLogRepository(
        IDbContextFactory<KeyInfraDbContext> contextFactory,
        PostgreSqlDataSource dataSource,
        PostgreSqlStorage storage,
        ILogger<PostgreSqlVerificationLogRepository> logger)
    {
        _dataSource = dataSource;
        _reads = new EfVerificationLogRepository(contextFactory);
        _retry = new TransientRetry(storage.Options, logger);
        _logger = logger;
        _copyThreshold = storage.Options.LogCopyThreshold;
    }

    public async Task AppendAsync(LogGroup group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.IsEmpty)
        {
            return;
        }

        // Everything is checked before anything is sent: a bad argument fails the call and writes nothing.
        var rows = LogRows.Create(group);
        var copy = rows.RowCount > 0 && rows.RowCount >= _copyThreshold;

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var reused = _connection is not null;
                var stage = WriteStage.Connecting;
                try
                {
                    var connection = await GetConnectionAsync(cancellationToken).ConfigureAwait(false);
                    stage = WriteStage.Writing;
                    await EnsurePartitionsAsync(connection, rows, cancellationToken).ConfigureAwait(false);
                    await using var batch = new NpgsqlBatch(connection);
                    if (copy)
                    {
                        await BeginAndCopyAsync(connection, rows, cancellationToken).ConfigureAwait(false);
                        AddMoves(batch, rows);
                    }
                    else
                    {
                        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
                        AddArrayInserts(batch, rows);
                    }

                    var commit = new NpgsqlBatchCommand("COMMIT");
                    batch.BatchCommands.Add(commit);

                    // Prepared once per connection (the texts do not change with the rows), which saves the server
                    // parsing and planning them at every commit.
                    await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);

                    // This round trip carries the COMMIT, so a failure in it may come after the commit, unless the
                    // server answered with an error before COMMIT's own completion: the server answers in order, and
                    // after an error it skips the rest of the batch (after a FATAL one, the session is gone).
                    stage = WriteStage.Committing;
                    try
                    {
                        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (PostgresException) when (commit.StatementType == StatementType.Unknown)
                    {
                        stage = WriteStage.Writing;
                        throw;
                    }

                    return;
                }
                catch (Exception ex) when (stage != WriteStage.Committing && attempt == 1 && IsMissingPartition(ex))
                {
                    // Retention dropped a month this writer thought it had: look again.
                    _knownMonths.Clear();
                    await RollBackAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (stage != WriteStage.Committing && attempt == 1 && reused && (TransientRetry.IsTransient(ex) || !IsOpen(_connection)))
                {
                    // The pooled connection died while idle (a server restart, a network blip): nothing was committed.
                    // Its idle siblings in the pool died with it; drop them too so the next one is fresh.
                    Log.LogConnectionReopened(_logger, ex);
                    await DropConnectionAsync().ConfigureAwait(false);
                    _dataSource.DataSource.Clear();
                }
                catch
                {
                    await RollBackAsync().ConfigureAwait(false);
                    throw;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<VerificationRecord>> QueryAsync(Guid tenantId, VerificationLogQuery query, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _reads.QueryAsync(tenantId, query, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ControlPlaneAuditRecord>> QueryControlPlaneAsync(Guid tenantId, AuditQuery query, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _reads.QueryControlPlaneAsync(tenantId, query, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DataPlaneAuditRecord>> QueryDataPlaneAsync(Guid tenantId, AuditQuery query, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _reads.QueryDataPlaneAsync(tenantId, query, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<BatchVerificationRecord?> GetBatchAsync(Guid tenantId, Guid batchId, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _reads.GetBatchAsync(tenantId, batchId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<LogDigest>> ReadDigestsAsync(Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _reads.ReadDigestsAsync(tenantId, since, until, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<LogDigest?> ReadDigestAsync(Guid tenantId, Guid chainId, long sequence, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _reads.ReadDigestAsync(tenantId, chainId, sequence, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<LogCheckpoint>> ReadCheckpointsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _reads.ReadCheckpointsAsync(tenantId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<StoredLogDigest> ListDigestsAsync(LogDigestSelection selection, string masterKeyId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(masterKeyId);

        // Row-level security shows one tenant at a time: list the tenants with digests (a function that reveals only their
        // ids), then read each under its own tenant setting, one page at a time.
        var tenants = new List<Guid>();
        await _retry.ExecuteAsync(
            async () =>
            {
                tenants.Clear();
                await using var connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT tenant_id FROM keyinfra_log_tenants() ORDER BY 1", connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    tenants.Add(reader.GetGuid(0));
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);

        foreach (var tenantId in tenants)
        {
            foreach (var checkpoints in new[] { false, true })
            {
                IReadOnlyList<(Guid TenantId, Guid ChainId)> chains;
                using (TenantScope.Enter(tenantId))
                {
                    chains = await _retry.ExecuteAsync(() => _reads.ListChainsAsync(tenantId, selection, masterKeyId, checkpoints, cancellationToken), cancellationToken).ConfigureAwait(false);
                }

                foreach (var (_, chainId) in chains)
                {
                    var after = long.MinValue;
                    while (true)
                    {
                        IReadOnlyList<StoredLogDigest> page;
                        using (TenantScope.Enter(tenantId))
                        {
                            page = await _retry.ExecuteAsync(() => _reads.ListChainPageAsync(tenantId, chainId, selection, masterKeyId, checkpoints, after, cancellationToken), cancellationToken).ConfigureAwait(false);
                        }

                        foreach (var digest in page)
                        {
                            yield return digest;
                        }

                        if (page.Count == 0)
                        {
                            break;
                        }

                        after = page[^1].Digest.Sequence;
                    }
                }
            }
        }
    }

    public async Task<bool> SetDigestRewrapAsync(StoredLogDigest digest, string masterKeyId, byte[] rewrapMac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentException.ThrowIfNullOrEmpty(masterKeyId);
        ArgumentNullException.ThrowIfNull(rewrapMac);
        var d = digest.Digest;

        // The application has no UPDATE on the log: a SECURITY DEFINER function sets the two re-wrap columns of a digest
        // of the connection's tenant, and nothing else.
        return await _retry.ExecuteAsync(
            async () =>
            {
                await using var connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (var tenant = new NpgsqlCommand(SetTenant, connection, transaction))
                {
                    tenant.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.TenantId.ToString() });
                    await tenant.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                bool updated;
                await using (var command = new NpgsqlCommand("SELECT keyinfra_rewrap_log_digest($1, $2, $3, $4, $5, $6, $7, $8)", connection, transaction))
                {
                    command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = d.ChainId, NpgsqlDbType = NpgsqlDbType.Uuid });
                    command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = d.TenantId, NpgsqlDbType = NpgsqlDbType.Uuid });
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = d.Sequence, NpgsqlDbType = NpgsqlDbType.Bigint });
                    command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = d.Digest, NpgsqlDbType = NpgsqlDbType.Bytea });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.EffectiveMasterKeyId, NpgsqlDbType = NpgsqlDbType.Text });
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = masterKeyId, NpgsqlDbType = NpgsqlDbType.Text });
                    command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = rewrapMac, NpgsqlDbType = NpgsqlDbType.Bytea });
                    command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = digest.IsCheckpoint, NpgsqlDbType = NpgsqlDbType.Boolean });
                    updated = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return updated;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredLogEntry>> ReadEntriesAsync(Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _reads.ReadEntriesAsync(tenantId, since, until, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredLogEntry>> ReadEntriesAsync(Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _reads.ReadEntriesAsync(tenantId, ids, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        // After an append in progress, never under it: the connection is the append's.
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await DropConnectionAsync().ConfigureAwait(false);
            await _reads.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    // A container disposed synchronously (ServiceProvider.Dispose) calls this, as it does for the EF repository.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    // "no partition of relation … found for row" is a check violation that names no constraint (a CHECK constraint's
    // violation always names it); the message text itself is translated with lc_messages.
    private static bool IsMissingPartition(Exception ex)
        => ex is PostgresException { SqlState: PostgresErrorCodes.CheckViolation, ConstraintName: null };

    private async Task<NpgsqlConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { FullState: System.Data.ConnectionState.Open } open)
        {
            return open;
        }

        await DropConnectionAsync().ConfigureAwait(false);
        _connection = await _dataSource.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        _staging = false;
        return _connection;
    }

    private static bool IsOpen(NpgsqlConnection? connection) => connection is { FullState: System.Data.ConnectionState.Open };

    // After a failure the connection may be inside a failed transaction: end it, or drop a connection that cannot.
    private async Task RollBackAsync()
    {
        if (!IsOpen(_connection))
        {
            await DropConnectionAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            await using var command = new NpgsqlCommand("ROLLBACK", _connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
        {
            await DropConnectionAsync().ConfigureAwait(false);
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            _staging = false;
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or ObjectDisposedException)
            {
                // A broken connection may fail to close; it is gone either way.
            }
        }
    }

    // Records carry their own time; a month without a partition gets one first (a function owned by the schema
    // owner, so the application role needs no CREATE rights), outside the batch's transaction.
    private async Task EnsurePartitionsAsync(NpgsqlConnection connection, LogRows rows, CancellationToken cancellationToken)
    {
        foreach (var month in rows.Months)
        {
            if (_knownMonths.Contains(month))
            {
                continue;
            }

            await using var command = new NpgsqlCommand("SELECT keyinfra_create_verification_partitions($1, 1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = LogRows.MonthStart(month), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _knownMonths.Add(month);
        }
    }

    // The staging tables are made on first use on each connection, committed on their own: made inside the group's
    // transaction, they would vanish with a rolled-back group while the connection still counts them as made. The
    // transaction starts before the COPY so that the staged rows live only as long as it does.
    private async Task BeginAndCopyAsync(NpgsqlConnection connection, LogRows rows, CancellationToken cancellationToken)
    {
        if (!_staging)
        {
            await using var create = new NpgsqlCommand(CreateStagingTables, connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _staging = true;
        }

        await using (var begin = new NpgsqlCommand("BEGIN", connection))
        {
            await begin.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await CopyAsync(connection, rows, cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, LogRows rows, CancellationToken cancellationToken)
    {
        if (rows.Records.Count > 0)
        {
            var importer = await connection.BeginBinaryImportAsync($"COPY keyinfra_stage_records ({RecordColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            await using (importer.ConfigureAwait(false))
            {
                foreach (var record in rows.Records)
                {
                    await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(record.Id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(record.TenantId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await WriteNullableAsync(importer, record.KeyExists ? record.RequestedKeyId.Value : null, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(record.RequestedKeyId.Value, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await WriteNullableAsync(importer, record.Algorithm, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(StoredValues.ToText(record.Status), NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(record.DocumentSha256, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(record.SignatureSha256, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                    await importer.WriteAsync(record.VerifiedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    await WriteNullableAsync(importer, record.Caller, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                    await WriteNullableAsync(importer, record.CallerId, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                    await WriteNullableAsync(importer, record.Detail, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                }

                await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (rows.Batches.Count == 0)
        {
            return;
        }

        var batchImporter = await connection.BeginBinaryImportAsync($"COPY keyinfra_stage_batches ({BatchColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using (batchImporter.ConfigureAwait(false))
        {
            foreach (var batch in rows.Batches)
            {
                await batchImporter.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await batchImporter.WriteAsync(batch.Id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await batchImporter.WriteAsync(batch.TenantId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(batchImporter, batch.Caller, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(batchImporter, batch.CallerId, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await batchImporter.WriteAsync(batch.StartedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await batchImporter.WriteAsync(batch.CompletedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await batchImporter.WriteAsync(batch.Items.Count, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await batchImporter.WriteAsync(batch.Items.Count(i => i.Status == VerificationStatus.Valid), NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            }

            await batchImporter.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var itemImporter = await connection.BeginBinaryImportAsync($"COPY keyinfra_stage_items ({ItemColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using (itemImporter.ConfigureAwait(false))
        {
            foreach (var batch in rows.Batches)
            {
                for (var index = 0; index < batch.Items.Count; index++)
                {
                    var item = batch.Items[index];
                    await itemImporter.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(item.Id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(batch.Id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(index, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                    await WriteNullableAsync(itemImporter, item.KeyExists ? item.RequestedKeyId.Value : null, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(item.RequestedKeyId.Value, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                    await WriteNullableAsync(itemImporter, item.Algorithm, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(StoredValues.ToText(item.Status), NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(item.DocumentSha256, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(item.SignatureSha256, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(item.VerifiedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    await WriteNullableAsync(itemImporter, item.Detail, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                }
            }

            await itemImporter.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // For each tenant, set the row-level security setting for this transaction and move its staged rows.
    private static void AddMoves(NpgsqlBatch batch, LogRows rows)
    {
        foreach (var tenantId in rows.Tenants)
        {
            batch.BatchCommands.Add(TenantCommand(SetTenant, tenantId));
            if (rows.HasRecords(tenantId))
            {
                batch.BatchCommands.Add(TenantCommand($"INSERT INTO verification_records ({RecordColumns}) SELECT {RecordColumns} FROM keyinfra_stage_records WHERE tenant_id = $1 {OnConflict}", tenantId));
            }

            if (rows.HasBatches(tenantId))
            {
                batch.BatchCommands.Add(TenantCommand($"INSERT INTO batch_verifications ({BatchColumns}) SELECT {BatchColumns} FROM keyinfra_stage_batches WHERE tenant_id = $1 {OnConflict}", tenantId));
                batch.BatchCommands.Add(TenantCommand(
                    $"INSERT INTO batch_verification_items ({ItemColumns}) SELECT i.{ItemColumns.Replace(", ", ", i.", StringComparison.Ordinal)} " +
                    $"FROM keyinfra_stage_items i JOIN keyinfra_stage_batches b ON b.id = i.batch_id WHERE b.tenant_id = $1 {OnConflict}",
                    tenantId));
            }

            AddAuditInserts(batch, rows, tenantId);
            AddDigestInsert(batch, rows, tenantId);
        }
    }

    // For each tenant, set the row-level security setting for this transaction and insert its rows from arrays.
    private static void AddArrayInserts(NpgsqlBatch batch, LogRows rows)
    {
        foreach (var tenantId in rows.Tenants)
        {
            batch.BatchCommands.Add(TenantCommand(SetTenant, tenantId));
            if (rows.HasRecords(tenantId))
            {
                var records = rows.Records.Where(r => r.TenantId == tenantId).ToList();
                var command = TenantCommand(InsertRecordArrays, tenantId);
                AddArray(command, records.Select(r => r.Id), NpgsqlDbType.Uuid);
                AddArray(command, records.Select(r => r.KeyExists ? r.RequestedKeyId.Value : (Guid?)null), NpgsqlDbType.Uuid);
                AddArray(command, records.Select(r => r.RequestedKeyId.Value), NpgsqlDbType.Uuid);
                AddArray(command, records.Select(r => r.Algorithm), NpgsqlDbType.Varchar);
                AddArray(command, records.Select(r => StoredValues.ToText(r.Status)), NpgsqlDbType.Varchar);
                AddArray(command, records.Select(r => r.DocumentSha256), NpgsqlDbType.Bytea);
                AddArray(command, records.Select(r => r.SignatureSha256), NpgsqlDbType.Bytea);
                AddArray(command, records.Select(r => r.VerifiedAt.UtcDateTime), NpgsqlDbType.TimestampTz);
                AddArray(command, records.Select(r => r.Caller), NpgsqlDbType.Varchar);
                AddArray(command, records.Select(r => r.CallerId), NpgsqlDbType.Varchar);
                AddArray(command, records.Select(r => r.Detail), NpgsqlDbType.Varchar);
                batch.BatchCommands.Add(command);
            }

            if (rows.HasBatches(tenantId))
            {
                var batches = rows.Batches.Where(b => b.TenantId == tenantId).ToList();
                var command = TenantCommand(InsertBatchArrays, tenantId);
                AddArray(command, batches.Select(b => b.Id), NpgsqlDbType.Uuid);
                AddArray(command, batches.Select(b => b.Caller), NpgsqlDbType.Varchar);
                AddArray(command, batches.Select(b => b.CallerId), NpgsqlDbType.Varchar);
                AddArray(command, batches.Select(b => b.StartedAt.UtcDateTime), NpgsqlDbType.TimestampTz);
                AddArray(command, batches.Select(b => b.CompletedAt.UtcDateTime), NpgsqlDbType.TimestampTz);
                AddArray(command, batches.Select(b => b.Items.Count), NpgsqlDbType.Integer);
                AddArray(command, batches.Select(b => b.Items.Count(i => i.Status == VerificationStatus.Valid)), NpgsqlDbType.Integer);
                batch.BatchCommands.Add(command);

                // Items after their batches: the items' policy admits an item whose batch this transaction can see.
                var items = batches.SelectMany(b => b.Items.Select((item, index) => (Batch: b.Id, Index: index, Item: item))).ToList();
                if (items.Count > 0)
                {
                    var itemCommand = new NpgsqlBatchCommand(InsertItemArrays);
                    AddArray(itemCommand, items.Select(i => i.Item.Id), NpgsqlDbType.Uuid);
                    AddArray(itemCommand, items.Select(i => i.Batch), NpgsqlDbType.Uuid);
                    AddArray(itemCommand, items.Select(i => i.Index), NpgsqlDbType.Integer);
                    AddArray(itemCommand, items.Select(i => i.Item.KeyExists ? i.Item.RequestedKeyId.Value : (Guid?)null), NpgsqlDbType.Uuid);
                    AddArray(itemCommand, items.Select(i => i.Item.RequestedKeyId.Value), NpgsqlDbType.Uuid);
                    AddArray(itemCommand, items.Select(i => i.Item.Algorithm), NpgsqlDbType.Varchar);
                    AddArray(itemCommand, items.Select(i => StoredValues.ToText(i.Item.Status)), NpgsqlDbType.Varchar);
                    AddArray(itemCommand, items.Select(i => i.Item.DocumentSha256), NpgsqlDbType.Bytea);
                    AddArray(itemCommand, items.Select(i => i.Item.SignatureSha256), NpgsqlDbType.Bytea);
                    AddArray(itemCommand, items.Select(i => i.Item.VerifiedAt.UtcDateTime), NpgsqlDbType.TimestampTz);
                    AddArray(itemCommand, items.Select(i => i.Item.Detail), NpgsqlDbType.Varchar);
                    batch.BatchCommands.Add(itemCommand);
                }
            }

            AddAuditInserts(batch, rows, tenantId);
            AddDigestInsert(batch, rows, tenantId);
        }
    }

    // Audit records are few next to verifications (changes, and decisions at most one per call), so they always go
    // as arrays, on the COPY path too.
    private static void AddAuditInserts(NpgsqlBatch batch, LogRows rows, Guid tenantId)
    {
        if (!rows.HasAudit(tenantId))
        {
            return;
        }

        var control = rows.ControlPlane.Where(a => a.TenantId == tenantId).ToList();
        if (control.Count > 0)
        {
            var command = TenantCommand(InsertControlPlaneArrays, tenantId);
            AddAuditCommonArrays(command, [.. control.Select(a => (a.Id, a.OccurredAt, a.ActorKind, a.ActorId, a.ActorAddress, a.RequestId, a.Action))]);
            AddArray(command, control.Select(a => a.TargetType), NpgsqlDbType.Varchar);
            AddArray(command, control.Select(a => a.TargetId), NpgsqlDbType.Varchar);
            AddArray(command, control.Select(a => a.Before), NpgsqlDbType.Text);
            AddArray(command, control.Select(a => a.After), NpgsqlDbType.Text);
            batch.BatchCommands.Add(command);
        }

        var data = rows.DataPlane.Where(a => a.TenantId == tenantId).ToList();
        if (data.Count > 0)
        {
            var command = TenantCommand(InsertDataPlaneArrays, tenantId);
            AddAuditCommonArrays(command, [.. data.Select(a => (a.Id, a.OccurredAt, a.ActorKind, a.ActorId, a.ActorAddress, a.RequestId, a.Action))]);
            AddArray(command, data.Select(a => AuditValues.ToText(a.Decision)), NpgsqlDbType.Varchar);
            AddArray(command, data.Select(a => a.Reason), NpgsqlDbType.Varchar);
            AddArray(command, data.Select(a => a.KeyId), NpgsqlDbType.Uuid);
            batch.BatchCommands.Add(command);
        }
    }

    // The columns both audit tables start with ($2–$8), in the order of both inserts.
    private static void AddAuditCommonArrays(NpgsqlBatchCommand command, List<(Guid Id, DateTimeOffset OccurredAt, AuditActorKind Kind, string? ActorId, string? ActorAddress, string? RequestId, string Action)> rows)
    {
        AddArray(command, rows.Select(a => a.Id), NpgsqlDbType.Uuid);
        AddArray(command, rows.Select(a => a.OccurredAt.UtcDateTime), NpgsqlDbType.TimestampTz);
        AddArray(command, rows.Select(a => AuditValues.ToText(a.Kind)), NpgsqlDbType.Varchar);
        AddArray(command, rows.Select(a => a.ActorId), NpgsqlDbType.Varchar);
        AddArray(command, rows.Select(a => a.ActorAddress), NpgsqlDbType.Varchar);
        AddArray(command, rows.Select(a => a.RequestId), NpgsqlDbType.Varchar);
        AddArray(command, rows.Select(a => a.Action), NpgsqlDbType.Varchar);
    }

    private static void AddDigestInsert(NpgsqlBatch batch, LogRows rows, Guid tenantId)
    {
        if (rows.Digest(tenantId) is not { } digest)
        {
            return;
        }

        var command = TenantCommand(InsertDigest, tenantId);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = digest.ChainId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = digest.Sequence, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = digest.CommittedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = digest.FirstEntryAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = digest.MasterKeyId, NpgsqlDbType = NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = digest.EntryCount, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = digest.Manifest, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = digest.PreviousDigest, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = digest.Digest, NpgsqlDbType = NpgsqlDbType.Bytea });
        batch.BatchCommands.Add(command);
    }

    private static NpgsqlBatchCommand TenantCommand(string sql, Guid tenantId)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId, NpgsqlDbType = NpgsqlDbType.Uuid });
        return command;
    }

    private static void AddArray<T>(NpgsqlBatchCommand command, IEnumerable<T> values, NpgsqlDbType elementType)
        => command.Parameters.Add(new NpgsqlParameter<T[]> { TypedValue = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | elementType });

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : class
        => value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, Guid? value, NpgsqlDbType type, CancellationToken cancellationToken)
        => value is { } v ? importer.WriteAsync(v, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private enum WriteStage
    {
        Connecting,
        Writing,
        Committing,
    }
}
