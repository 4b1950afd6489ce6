using System.Diagnostics;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Verification.Chain;

/// <summary>
/// The log writer's chain: it seals committed entries into one digest per tenant (linked to that tenant's previous
/// digest), advances the heads once the digests are committed, and starts a new chain after a commit it cannot be sure of.
/// </summary>
/// <remarks>
/// <para>Why a seal covers several group commits: a digest row of its own in every commit costs the commit 8–40 % (one
/// more statement, B-tree and WAL page per tenant; docs/performance.md), so the writer keeps the manifest entries of
/// committed groups and seals them once per seal interval, in the transaction of the group committed when they are
/// due (or one of its own when none comes). The entries it seals are the ones it made from the callers' records, not
/// read back, so a row changed in the database before its seal is still reported as modified. What it costs: entries
/// committed in the interval before a crash are never sealed (docs/security/log-chain.md).</para>
/// <para>Why a chain per writer, new at each start: several instances write at once and none may wait for another, and
/// a writer that continued a chain read back from the database would trust the database for it. A chain that ends
/// (a stop, a failed commit) is simply complete; its last head was logged.</para>
/// <para>Why a new chain after a failed commit: the failure may have come after the commit (a lost connection), so the
/// group's sequence may or may not be taken. Continuing with either guess could fork the chain or leave a gap that looks
/// like a deletion; a new chain leaves the old one complete whichever way the commit went.</para>
/// <para><see cref="Seal"/>, <see cref="SealIfDue"/>, <see cref="Committed(IReadOnlyList{LogChainEntries}, IReadOnlyList{LogDigest})"/>
/// and <see cref="Abandon"/> are called by the writer thread only; <see cref="Heads"/> is safe from any thread.</para>
/// </remarks>
internal sealed class LogChainWriter : IDisposable
{
    /// <summary>The most entries one seal waits for: a seal is due at once when the unsealed entries reach it.</summary>
    public const int MaxUnsealedEntries = 16_384;

    /// <summary>The longest a seal of its own waits before it is tried again after failures (the wait doubles from 1 s).</summary>
    public static readonly TimeSpan MaxSealRetryDelay = TimeSpan.FromSeconds(30);

    private readonly IEncryptionKeyProvider? _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer? _timer;
    private readonly Lock _publishLock = new();
    private Dictionary<Guid, LogChainHead> _heads = [];
    private Dictionary<Guid, LogChainHead> _published = [];

    // Entries committed since the last seal, in commit order (writer thread only), and when the first was committed.
    private readonly List<LogChainEntries> _unsealed = [];
    private readonly TimeSpan _sealInterval;
    private int _unsealedCount;
    private long _unsealedSince;

    // Seals that failed in a row (reset by one that commits), and when the last one failed.
    private int _sealFailures;
    private long _sealFailedAt;

    public LogChainWriter(IEncryptionKeyProvider? keys, TimeProvider time, ILogger logger, TimeSpan headInterval, TimeSpan sealInterval = default)
    {
        _keys = keys;
        _sealInterval = sealInterval;
        _time = time;
        _logger = logger;
        ChainId = Guid.CreateVersion7(time.GetUtcNow());
        if (keys is null)
        {
            Log.LogChainWithoutMasterKey(logger);
        }
        else
        {
            Log.LogChainStarted(logger, ChainId);
        }

        if (headInterval > TimeSpan.Zero)
        {
            _timer = time.CreateTimer(_ => PublishHeads(), null, headInterval, headInterval);
        }
    }

    /// <summary>The chain this writer extends now.</summary>
    public Guid ChainId { get; private set; }

    /// <summary>Whether groups get digests (a master key source is registered).</summary>
    public bool Enabled => _keys is not null;

    /// <summary>How many committed entries wait for a seal.</summary>
    public int UnsealedCount => _unsealedCount;

    /// <summary>
    /// Whether the last seal failed (<see cref="SealFailed"/>) and none has committed since: every group is then sealed,
    /// so no more rows commit without a digest while sealing fails.
    /// </summary>
    public bool SealFailing => _sealFailures > 0;

    /// <summary>
    /// How long until a seal of its own is due for the committed entries (zero: now), measured on the monotonic clock;
    /// <c>null</c> when none wait. After failed seals it is the retry delay instead (1 s, doubling, at most
    /// <see cref="MaxSealRetryDelay"/>), so a seal that keeps failing is not retried in a loop.
    /// </summary>
    public TimeSpan? SealDueIn
    {
        get
        {
            if (_unsealed.Count == 0)
            {
                return null;
            }

            var left = SealFailing
                ? RetryDelay(_sealFailures) - Stopwatch.GetElapsedTime(_sealFailedAt)
                : _sealInterval - Stopwatch.GetElapsedTime(_unsealedSince);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>The newest sealed group of each of this writer's chains, by tenant, as of now.</summary>
    public IReadOnlyList<LogChainHead> Heads => [.. Volatile.Read(ref _heads).Values];

    /// <summary>
    /// The seal of <paramref name="entries"/> (committed entries that waited and the group about to be committed): one
    /// digest per tenant, in the order the tenants first appear, each linked to that tenant's head.
    /// </summary>
    /// <param name="entries">The entries in commit order, each made by <see cref="LogChainEntries.Of(VerificationRecord)"/> or <see cref="LogChainEntries.Of(BatchVerificationRecord)"/>.</param>
    public IReadOnlyList<LogDigest> Seal(IReadOnlyList<LogChainEntries> entries)
    {
        if (_keys is null || entries.Count == 0)
        {
            return [];
        }

        var tenants = new Dictionary<Guid, List<LogChainEntries>>();
        var order = new List<Guid>();
        var latest = DateTimeOffset.MinValue;
        foreach (var entry in entries)
        {
            if (!tenants.TryGetValue(entry.TenantId, out var own))
            {
                tenants.Add(entry.TenantId, own = []);
                order.Add(entry.TenantId);
            }

            own.Add(entry);
            latest = Max(latest, entry.Latest);
        }

        // Never before an entry: log verify looks for a group's entries at or before its commit time.
        var committedAt = LogChainFormat.Truncate(Max(_time.GetUtcNow(), latest));
        var heads = Volatile.Read(ref _heads);
        using var lease = _keys.AcquireRingAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var masterKey = lease.Ring.Current;
        var digests = new List<LogDigest>(order.Count);
        foreach (var tenantId in order)
        {
            var (manifest, count, first) = Join(tenants[tenantId]);
            var sequence = 1L;
            var previous = LogChainFormat.GenesisPrevious.ToArray();
            if (heads.TryGetValue(tenantId, out var head))
            {
                sequence = head.Sequence + 1;
                previous = Convert.FromHexString(head.DigestHex);
            }

            var firstEntryAt = LogChainFormat.Truncate(first);
            digests.Add(new LogDigest
            {
                ChainId = ChainId,
                TenantId = tenantId,
                Sequence = sequence,
                CommittedAt = committedAt,
                FirstEntryAt = firstEntryAt,
                MasterKeyId = masterKey.Id,
                EntryCount = count,
                Manifest = manifest,
                PreviousDigest = previous,
                Digest = LogChainFormat.ComputeDigest(masterKey, ChainId, tenantId, sequence, committedAt, firstEntryAt, count, manifest, previous),
            });
        }

        return digests;
    }

    /// <summary>
    /// The digests to commit with a group (whose entries are <paramref name="group"/>): when a seal is due (the interval
    /// has passed since the first unsealed commit, the entries reach <see cref="MaxUnsealedEntries"/>, the interval is
    /// zero, the last seal failed, or <paramref name="force"/>), the seal of every unsealed entry and the group's;
    /// otherwise none.
    /// </summary>
    /// <exception cref="Errors.MasterKeyException">The master key cannot be had to make the seal.</exception>
    public IReadOnlyList<LogDigest> SealIfDue(IReadOnlyList<LogChainEntries> group, bool force)
    {
        if (_keys is null || (_unsealed.Count == 0 && group.Count == 0))
        {
            return [];
        }

        var due = force || _sealInterval == TimeSpan.Zero || (group.Count > 0 && SealFailing)
            || (_unsealed.Count > 0 && Stopwatch.GetElapsedTime(_unsealedSince) >= _sealInterval) || _unsealedCount + CountOf(group) >= MaxUnsealedEntries;
        return !due ? [] : Seal(_unsealed.Count == 0 ? group : [.. _unsealed, .. group]);
    }

    /// <summary>
    /// A group is committed, with the digests <see cref="SealIfDue"/> gave it: when it had some, they are the new heads and
    /// nothing waits for a seal any more; otherwise the group's entries wait for the next one.
    /// </summary>
    public void Committed(IReadOnlyList<LogChainEntries> group, IReadOnlyList<LogDigest> digests)
    {
        if (_keys is null)
        {
            return;
        }

        if (digests.Count > 0)
        {
            _unsealed.Clear();
            _unsealedCount = 0;
            _sealFailures = 0;
            Committed(digests);
            return;
        }

        if (group.Count == 0)
        {
            return;
        }

        if (_unsealed.Count == 0)
        {
            _unsealedSince = Stopwatch.GetTimestamp();
        }

        _unsealed.AddRange(group);
        _unsealedCount += CountOf(group);
    }

    /// <summary>The group sealed into <paramref name="digests"/> is committed: its digests are the new heads.</summary>
    public void Committed(IReadOnlyList<LogDigest> digests)
    {
        if (digests.Count == 0 || digests[0].ChainId != ChainId)
        {
            return;
        }

        var heads = new Dictionary<Guid, LogChainHead>(Volatile.Read(ref _heads));
        foreach (var digest in digests)
        {
            heads[digest.TenantId] = new LogChainHead(digest.ChainId, digest.TenantId, digest.Sequence, digest.Digest);
        }

        Volatile.Write(ref _heads, heads);
    }

    /// <summary>
    /// A seal could not be made or its commit failed: until one commits, every group is sealed (<see cref="SealFailing"/>)
    /// and a seal of its own waits out the retry delay. The entries that waited for it still wait.
    /// </summary>
    public void SealFailed()
    {
        _sealFailures = _sealFailures == int.MaxValue ? _sealFailures : _sealFailures + 1;
        _sealFailedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// A sealed group failed to commit and will not be retried: end this chain and continue in a new one. The entries that
    /// waited for the seal still wait, now for the new chain's first (if the failed commit did commit after all, they are
    /// named twice, once in each chain, which log verify accepts).
    /// </summary>
    public void Abandon()
    {
        if (_keys is null)
        {
            return;
        }

        PublishHeads();
        var ended = ChainId;
        ChainId = Guid.CreateVersion7(_time.GetUtcNow());
        Volatile.Write(ref _heads, []);
        Log.LogChainRestarted(_logger, ended, ChainId);
    }

    /// <summary>Logs every head that moved since it was last logged.</summary>
    public void PublishHeads()
    {
        lock (_publishLock)
        {
            var heads = Volatile.Read(ref _heads);
            foreach (var head in heads.Values)
            {
                if (!_published.TryGetValue(head.TenantId, out var published) || published != head)
                {
                    Log.LogChainHead(_logger, head.ChainId, head.TenantId, head.Sequence, head.ToString());
                }
            }

            _published = heads;
        }
    }

    /// <summary>Stops the timer and logs the final heads.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        PublishHeads();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static TimeSpan RetryDelay(int failures)
        => failures >= 6 ? MaxSealRetryDelay : TimeSpan.FromSeconds(Math.Min(1 << (failures - 1), MaxSealRetryDelay.TotalSeconds));

    private static int CountOf(IReadOnlyList<LogChainEntries> entries)
    {
        var count = 0;
        foreach (var entry in entries)
        {
            count += entry.Count;
        }

        return count;
    }

    // One tenant's manifest: its entries' bytes in commit order.
    private static (byte[] Manifest, int Count, DateTimeOffset First) Join(List<LogChainEntries> entries)
    {
        var count = 0;
        var first = DateTimeOffset.MaxValue;
        foreach (var entry in entries)
        {
            count += entry.Count;
            first = entry.First < first ? entry.First : first;
        }

        var manifest = new byte[count * LogChainFormat.ManifestEntrySize];
        var offset = 0;
        foreach (var entry in entries)
        {
            entry.Manifest.CopyTo(manifest, offset);
            offset += entry.Manifest.Length;
        }

        return (manifest, count, first);
    }
}
