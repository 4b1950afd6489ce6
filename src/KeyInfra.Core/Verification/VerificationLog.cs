using System.Diagnostics;
using System.Threading.Channels;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Storage;
using KeyInfra.Verification.Chain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.Verification;

/// <summary>
/// The log's group-commit writer: every caller hands its entry (a verification record, a batch, an audit record) to
/// one channel, and a single writer commits whatever has gathered in one transaction, so durability costs one commit
/// per group, not per entry. The read side is <see cref="VerificationLogReader"/> and <see cref="Audit.AuditTrail"/>.
/// </summary>
/// <remarks>
/// Each entry's mode is its log's (<see cref="VerificationLogOptions.Mode"/>, <see cref="Audit.AuditOptions"/>).
/// Durable callers await the commit of the batch their record was in; if that commit fails, each of them
/// gets a <see cref="VerificationLogException"/> and no acknowledged record is lost. Buffered callers return
/// once their record is queued; a failed commit of buffered records is retried before they are given up
/// (logged at Critical). The channel is bounded: when it is full, callers wait — records are never dropped.
/// Committed entries are sealed into chain digests (<see cref="LogChainWriter"/>) once per
/// <see cref="VerificationLogOptions.SealInterval"/>, in the transaction of the group committed when they are due, or in
/// one of their own when the log is idle; a flush and a stop seal at once.
/// </remarks>
internal sealed class VerificationLog : IVerificationLogWriter, IAsyncDisposable, IDisposable
{
    private const int BufferedCommitAttempts = 5;
    private const int MaxConsecutiveSingleFailures = 3;

    private readonly Channel<PendingLogEntry> _channel;
    private readonly IVerificationLogRepository _repository;
    private readonly ILogger _logger;
    private readonly VerificationLogOptions _options;
    private readonly Audit.AuditOptions _audit;
    private readonly KeyInfraMetrics _metrics;
    private readonly LogChainWriter _chain;
    private readonly Task _writer;
    private Task<bool>? _waiting;

    public VerificationLog(IVerificationLogRepository repository, IOptions<KeyInfraOptions> options, ILogger<VerificationLog> logger, KeyInfraMetrics metrics,
        TimeProvider? time = null, IEncryptionKeyProvider? keys = null)
    {
        _metrics = metrics;
        _repository = repository;
        _logger = logger;
        _options = options.Value.VerificationLog;
        _audit = options.Value.Audit;
        _channel = Channel.CreateBounded<PendingLogEntry>(new BoundedChannelOptions(_options.BufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        metrics.ObserveLogQueue(() => _channel.Reader.Count);
        var writes = _options.Mode != LogMode.Off || _audit.ControlPlane != LogMode.Off || _audit.DataPlane != LogMode.Off;
        _chain = new LogChainWriter(writes ? keys : null, time ?? TimeProvider.System, logger, writes ? _options.ChainHeadInterval : TimeSpan.Zero, _options.SealInterval);
        metrics.ObserveChainHeads(() => _chain.Heads);

        _writer = writes ? StartWriterThread() : Task.CompletedTask;
        if (_options.Mode != LogMode.Durable)
        {
            Log.LogModeWarning(logger, _options.Mode.ToString(), _options.Mode == LogMode.Off
                ? "verifications are not recorded."
                : "a verification returns before its record is committed; records still queued when the process dies are lost.");
        }
    }

    /// <summary>The verification log's mode.</summary>
    public LogMode Mode => _options.Mode;


    /// <summary>Records and batches waiting to be committed (the health check and the queue metric read it).</summary>
    internal int QueueLength => _channel.Reader.Count;

    /// <summary>How many entries the queue holds before callers wait (<see cref="VerificationLogOptions.BufferCapacity"/>).</summary>
    internal int QueueCapacity => _options.BufferCapacity;

    /// <summary>How long this writer may keep committed entries before it seals them (<see cref="VerificationLogOptions.SealInterval"/>).</summary>
    internal TimeSpan SealInterval => _options.SealInterval;

    /// <summary>The heads of this writer's chains (one per tenant it wrote for).</summary>
    internal IReadOnlyList<LogChainHead> ChainHeads => _chain.Heads;

    /// <summary>The writer's state: running, stopped (disposed, or never started in <see cref="LogMode.Off"/>), or faulted.</summary>
    internal Task Writer => _writer;

    public ValueTask AppendAsync(VerificationRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_options.Mode == LogMode.Off)
        {
            return ValueTask.CompletedTask;
        }

        LogRecordValidator.Validate(record, nameof(record));
        return EnqueueAsync(PendingLogEntry.ForRecord(record, _chain.Enabled, _options.Mode == LogMode.Durable), cancellationToken);
    }

    public ValueTask AppendBatchAsync(BatchVerificationRecord batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_options.Mode == LogMode.Off)
        {
            return ValueTask.CompletedTask;
        }

        LogRecordValidator.Validate(batch, nameof(batch));
        return EnqueueAsync(PendingLogEntry.ForBatch(batch, _chain.Enabled, _options.Mode == LogMode.Durable), cancellationToken);
    }

    /// <summary>Queues a control-plane record (checked by the caller); waits for its commit when <paramref name="durable"/>.</summary>
    public ValueTask AppendAsync(Audit.ControlPlaneAuditRecord record, bool durable, CancellationToken cancellationToken)
        => EnqueueAsync(PendingLogEntry.ForAudit(record, _chain.Enabled, durable), cancellationToken);

    /// <summary>Queues a data-plane record (checked by the caller); waits for its commit when <paramref name="durable"/>.</summary>
    public ValueTask AppendAsync(Audit.DataPlaneAuditRecord record, bool durable, CancellationToken cancellationToken)
        => EnqueueAsync(PendingLogEntry.ForAudit(record, _chain.Enabled, durable), cancellationToken);

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_writer.IsCompleted)
        {
            if (_writer.Exception is { } stopped)
            {
                throw WriterFailed(stopped.InnerException ?? stopped);
            }

            return;
        }

        var marker = PendingLogEntry.ForFlush();
        if (!_channel.Writer.TryWrite(marker))
        {
            try
            {
                await _channel.Writer.WriteAsync(marker, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        // A writer that died is not waited for (a walk flushes first, usually with no token to end the wait).
        var done = await Task.WhenAny(marker.Completion!.Task, _writer).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (done == _writer && _writer.Exception is { } died)
        {
            throw WriterFailed(died.InnerException ?? died);
        }

        await marker.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Stops accepting records, commits everything queued, and waits for the writer to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _chain.Dispose();
    }

    /// <summary>
    /// The synchronous form, for containers disposed synchronously: a container refuses to dispose an
    /// async-only singleton that way, and the queued records must still be committed.
    /// </summary>
    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        _chain.Dispose();
    }

    private async ValueTask EnqueueAsync(PendingLogEntry entry, CancellationToken cancellationToken)
    {
        if (!_channel.Writer.TryWrite(entry))
        {
            try
            {
                await _channel.Writer.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                ThrowHelper.LogClosed();
            }
        }

        if (entry.Completion is { } completion)
        {
            // A cancelled wait does not un-queue the record: it may still be committed.
            await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // The writer has a thread of its own rather than the thread pool's: SQLite's ADO.NET provider does its I/O
    // synchronously even in its async methods, so a commit holds its thread for the whole fsync. On the pool
    // that takes a worker from the verifications (half the pool on a 2-core machine); on its own thread it
    // waits without stealing one. With a truly asynchronous provider the thread simply waits for the I/O.
    private Task StartWriterThread()
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                WriteLoop();
                completion.TrySetResult();
            }
            catch (Exception ex)
            {
                // Nothing queued now or later may wait for a writer that is gone.
                _channel.Writer.TryComplete(ex);
                var failure = WriterFailed(ex);
                while (_channel.Reader.TryRead(out var entry))
                {
                    entry.Completion?.TrySetException(failure);
                }

                completion.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "KeyInfra verification log writer",
        };
        thread.Start();
        return completion.Task;
    }

    private static VerificationLogException WriterFailed(Exception cause)
        => new(ErrorCodes.VerificationLogWriteFailed,
            "The log writer stopped on an error, so this call's outcome is withheld and its record may not be in the log. The cause is in the inner exception; restart the host.", cause);

    private void WriteLoop()
    {
        var reader = _channel.Reader;
        var pending = new List<PendingLogEntry>(_options.MaxBatchSize);
        var records = new List<VerificationRecord>(_options.MaxBatchSize);
        var batches = new List<BatchVerificationRecord>();
        var controlPlane = new List<Audit.ControlPlaneAuditRecord>();
        var dataPlane = new List<Audit.DataPlaneAuditRecord>();
        while (WaitToRead(reader, out var sealDue))
        {
            if (sealDue)
            {
                // Nothing arrived while committed entries waited out their seal interval: seal them on their own.
                SealOnly();
                continue;
            }

            if (_options.MaxBatchDelay > TimeSpan.Zero && reader.Count < _options.MaxBatchSize)
            {
                Thread.Sleep(_options.MaxBatchDelay);
            }

            var rows = 0;
            var flush = false;
            while (rows < _options.MaxBatchSize && reader.TryRead(out var entry))
            {
                pending.Add(entry);
                flush |= entry.IsFlush;
                rows += entry.RowCount;
                if (entry.Record is not null)
                {
                    records.Add(entry.Record);
                }
                else if (entry.Batch is not null)
                {
                    batches.Add(entry.Batch);
                }
                else if (entry.ControlPlane is not null)
                {
                    controlPlane.Add(entry.ControlPlane);
                }
                else if (entry.DataPlane is not null)
                {
                    dataPlane.Add(entry.DataPlane);
                }
            }

            try
            {
                Commit(pending, new LogGroup { Records = records, Batches = batches, ControlPlane = controlPlane, DataPlane = dataPlane }, rows, flush);
            }
            catch (Exception ex)
            {
                // Something other than the repository failed while committing (a logging provider that throws, say).
                // The writer must outlive it: a dead writer would leave every Durable caller, now and later, waiting
                // forever. This group's callers are told; the next group starts afresh.
                var failure = new VerificationLogException(ErrorCodes.VerificationLogWriteFailed,
                    $"The log writer failed while committing a batch of {rows} records, so this call's outcome is withheld. Its record may still appear in the log; a retry records a second outcome. The cause is in the inner exception.", ex);
                foreach (var entry in pending)
                {
                    Complete(entry, entry.RowCount == 0 ? null : failure);
                }
            }

            pending.Clear();
            records.Clear();
            batches.Clear();
            controlPlane.Clear();
            dataPlane.Clear();
        }

        // Stopping: what is committed and not yet sealed is sealed now, or never.
        if (_chain.UnsealedCount > 0)
        {
            SealOnly();
            if (_chain.UnsealedCount > 0)
            {
                Log.LogUnsealedAtStop(_logger, _chain.UnsealedCount);
            }
        }
    }

    // Waits for an entry (false: the channel is closed and empty); while committed entries wait for a seal, no longer
    // than until it is due (sealDue: it is, and nothing arrived). A wait that timed out is kept for the next call: a
    // channel read must not be abandoned half way.
    private bool WaitToRead(ChannelReader<PendingLogEntry> reader, out bool sealDue)
    {
        sealDue = false;
        if (_waiting is null)
        {
            var wait = reader.WaitToReadAsync();
            if (wait.IsCompletedSuccessfully)
            {
                return wait.Result;
            }

            _waiting = wait.AsTask();
        }

        if (_chain.SealDueIn is { } due && !_waiting.Wait(due))
        {
            sealDue = true;
            return true;
        }

        var more = _waiting.GetAwaiter().GetResult();
        _waiting = null;
        return more;
    }

    // A seal of committed entries with no rows: like a group's commit, it must not end the writer whatever throws.
    private void SealOnly()
    {
        try
        {
            Commit([], new LogGroup(), 0, forceSeal: true);
        }
        catch (Exception)
        {
            // Only a logging or metrics provider can throw this far (the commit's own failures are handled in it);
            // the seal is tried again after the retry delay.
            _chain.SealFailed();
        }
    }

    private void Commit(List<PendingLogEntry> pending, LogGroup group, int rowCount, bool forceSeal = false)
    {
        var rowEntries = pending.Count(e => e.RowCount > 0);
        var failure = rowCount == 0 && (_chain.UnsealedCount == 0 || !forceSeal)
            ? null
            : TryCommit(pending, group, rowCount, forceSeal, resealOnFailure: rowEntries <= 1);
        if (failure is not null && rowEntries > 1)
        {
            // One bad entry (say, a record for a key deleted while it was being verified) must not fail every
            // caller in its group: commit the entries one at a time so only the bad one fails.
            CommitOneByOne(pending, failure);
            if (forceSeal && _chain.UnsealedCount > 0)
            {
                Commit([], new LogGroup(), 0, forceSeal: true);
            }
        }

        // A flush promises the seal: it fails when what was committed could not be sealed.
        var unsealed = _chain.Enabled && _chain.UnsealedCount > 0 && pending.Exists(e => e.IsFlush)
            ? new VerificationLogException(ErrorCodes.VerificationLogWriteFailed,
                $"The log committed {_chain.UnsealedCount} entries it could not seal yet, so the flush did not end with them sealed (the writer tries again; log verify would report them as inserted until then). The cause is logged (event 1106); check the master key source and the database.")
            : null;
        foreach (var entry in pending)
        {
            if (entry.IsFlush)
            {
                Complete(entry, unsealed);
            }
            else if (failure is null || rowEntries <= 1)
            {
                Complete(entry, entry.RowCount == 0 ? null : failure);
            }
        }
    }

    private void CommitOneByOne(List<PendingLogEntry> pending, VerificationLogException groupFailure)
    {
        var consecutiveFailures = 0;
        foreach (var entry in pending)
        {
            VerificationLogException? failure = null;
            if (entry.RowCount > 0)
            {
                // Several failures in a row mean the database itself is failing, not one entry: stop paying a
                // round trip (or a connection timeout) per entry and fail the rest with the group's error.
                failure = consecutiveFailures < MaxConsecutiveSingleFailures
                    ? TryCommit([entry], GroupOf(entry), entry.RowCount, forceSeal: false, resealOnFailure: true)
                    : groupFailure;
                consecutiveFailures = failure is null ? 0 : consecutiveFailures + 1;
            }

            if (!entry.IsFlush)
            {
                Complete(entry, failure);
            }
        }
    }

    /// <summary>Tells a waiting caller (Durable, or a flush) how its entry ended.</summary>
    private static void Complete(PendingLogEntry entry, VerificationLogException? failure)
    {
        if (failure is null)
        {
            entry.Completion?.TrySetResult();
        }
        else
        {
            entry.Completion?.TrySetException(failure);
        }
    }

    private static LogGroup GroupOf(PendingLogEntry entry) => new()
    {
        Records = entry.Record is { } record ? [record] : [],
        Batches = entry.Batch is { } batch ? [batch] : [],
        ControlPlane = entry.ControlPlane is { } control ? [control] : [],
        DataPlane = entry.DataPlane is { } data ? [data] : [],
    };

    // In the order the rows are written: the records, the batches, then the audit records of each plane.
    private static List<LogChainEntries> ChainEntries(List<PendingLogEntry> pending)
    {
        var entries = new List<LogChainEntries>(pending.Count);
        entries.AddRange(pending.Where(e => e.Record is not null && e.ChainEntries is not null).Select(e => e.ChainEntries!));
        entries.AddRange(pending.Where(e => e.Batch is not null && e.ChainEntries is not null).Select(e => e.ChainEntries!));
        entries.AddRange(pending.Where(e => e.ControlPlane is not null && e.ChainEntries is not null).Select(e => e.ChainEntries!));
        entries.AddRange(pending.Where(e => e.DataPlane is not null && e.ChainEntries is not null).Select(e => e.ChainEntries!));
        return entries;
    }

    /// <summary>
    /// Commits the rows, and the seal when one is due (or <paramref name="forceSeal"/>), in one transaction; returns the
    /// error to hand the callers, or <c>null</c>.
    /// </summary>
    /// <remarks>
    /// With <c>resealOnFailure</c>, a failed commit without a seal is tried once more with one: the rows may have committed
    /// before the failure (a connection lost on COMMIT), and appending them again (idempotent by id) with a seal leaves
    /// them either sealed or not stored, never stored and unsealed. A group that will be committed again one entry at a
    /// time passes <c>false</c>; buffered groups, retried anyway, always reseal.
    /// </remarks>
    private VerificationLogException? TryCommit(List<PendingLogEntry> pending, LogGroup group, int rowCount, bool forceSeal, bool resealOnFailure)
    {
        var buffered = pending.TrueForAll(e => e.Completion is null || e.RowCount == 0);
        var entries = ChainEntries(pending);
        IReadOnlyList<LogDigest>? digests = null;
        for (var attempt = 1; ; attempt++)
        {
            var startedAt = Stopwatch.GetTimestamp();
            try
            {
                // Sealed once: a retry writes the same digests, so a group that did commit the first time is skipped whole.
                digests ??= _chain.SealIfDue(entries, forceSeal);
                if (rowCount == 0 && digests.Count == 0)
                {
                    return null;
                }

                // Blocking is safe here: this is the writer's own thread, with no synchronization context.
                _repository.AppendAsync(group with { Digests = digests }, CancellationToken.None).GetAwaiter().GetResult();
                _chain.Committed(entries, digests);
                _metrics.LogCommitted(rowCount, startedAt);
                if (rowCount > 0)
                {
                    Log.LogBatchCommitted(_logger, rowCount);
                }

                return null;
            }
            catch (Exception ex) when (rowCount > 0 && digests is { Count: 0 } && _chain.Enabled && (resealOnFailure || buffered) && !forceSeal)
            {
                // The rows may be stored without a seal: the next attempt appends them again with one.
                _metrics.LogCommitted(rowCount, startedAt, ex);
                digests = null;
                forceSeal = true;
                if (buffered)
                {
                    Log.BufferedCommitRetry(_logger, rowCount, attempt, ex);
                }
            }
            catch (Exception ex) when (buffered && rowCount > 0 && attempt < BufferedCommitAttempts)
            {
                _metrics.LogCommitted(rowCount, startedAt, ex);
                // Only buffered records are in this batch: nobody can be told, so try again before giving up.
                Log.BufferedCommitRetry(_logger, rowCount, attempt, ex);
                Thread.Sleep(TimeSpan.FromMilliseconds(100 * attempt));
            }
            catch (Exception ex)
            {
                _metrics.LogCommitted(rowCount, startedAt, ex);
                if (digests is not { Count: 0 })
                {
                    // No seal, or one whose commit failed (null: it could not be made): seal every group until one commits.
                    _chain.SealFailed();
                    if (rowCount == 0)
                    {
                        Log.LogSealFailed(_logger, _chain.UnsealedCount, ex);
                    }
                }

                if (digests is { Count: > 0 })
                {
                    // The group may have committed after all: continue in a new chain rather than guess.
                    _chain.Abandon();
                }

                if (rowCount == 0)
                {
                    return null;
                }

                if (buffered)
                {
                    Log.BufferedRecordsLost(_logger, rowCount, attempt, ex);
                }
                else
                {
                    Log.LogCommitFailed(_logger, rowCount, ex);
                }

                return new VerificationLogException(ErrorCodes.VerificationLogWriteFailed,
                    $"The log could not confirm the commit of a batch of {rowCount} records, so this call's outcome is withheld. Its record may still appear in the log (a commit whose flush failed can be on disk after a restart); a retry records a second outcome. The cause is in the inner exception; check that the database is reachable and writable.", ex);
            }
        }
    }
}
