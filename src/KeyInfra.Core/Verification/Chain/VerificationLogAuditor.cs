using KeyInfra.Authorization;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Verification.Chain;

/// <summary>
/// <c>log verify</c>: reads a range of a tenant's digests and entries and checks every digest's MAC, every link, every
/// entry a digest names, and that every stored entry is named by one.
/// </summary>
/// <remarks>
/// A group's entries are all at or before its commit time (the writer makes it so), so the entries of the range's
/// groups are all in [earliest entry time of those groups, end of the range). Entries in that window that a group just
/// before or just after the range names (a record verified before the range and committed in it, or the reverse) are
/// not reported; everything else in it that no authentic digest names is. The walk first has this process's writer
/// seal what it committed; an entry of another writer may wait up to its seal interval for its digest, so when recent
/// entries are not covered the walk waits out one interval (this host's <see cref="VerificationLogOptions.SealInterval"/>)
/// before it looks at the digests committed since it started. Thread-safe.
/// </remarks>
internal sealed class VerificationLogAuditor(
    IVerificationLogRepository repository,
    ITenantContext tenant,
    AccessGuard access,
    VerificationLog log,
    TimeProvider time,
    ILogger<VerificationLogAuditor> logger,
    IEncryptionKeyProvider? keys = null) : IVerificationLogAuditor
{
    // How long after its last entry a group may still be committed (a Buffered record waiting out retries).
    private static readonly TimeSpan s_commitLag = TimeSpan.FromHours(1);

    // How far before the walk's start a group committed during it may say it was committed (another instance's clock).
    private static readonly TimeSpan s_lateMargin = TimeSpan.FromMinutes(5);

    // How long after a seal is due another writer may take to commit it (a group commit in progress, a slow disk).
    private static readonly TimeSpan s_sealLag = TimeSpan.FromSeconds(1);

    public IReadOnlyList<LogChainHead> GetChainHeads() => log.ChainHeads;

    public async Task<LogAuditReport> VerifyAsync(LogAuditRequest request, IProgress<LogAuditProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.ExpectedHeads, nameof(request));
        var tenantId = tenant.TenantId;
        await access.DemandAsync(KeyInfraOperation.ReadLog, tenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        if (keys is null)
        {
            ThrowHelper.LogAuditUnavailable();
        }

        if (request.From is { } start && request.To is { } end && end <= start)
        {
            throw new ArgumentException($"The range to check is empty: it ends ({end:O}) at or before it starts ({start:O}).", nameof(request));
        }

        // What this process committed and has not sealed yet (up to one seal interval of it) is sealed first, before the
        // range is fixed, so the seal is in it.
        await log.FlushAsync(cancellationToken).ConfigureAwait(false);
        var walkStarted = time.GetUtcNow();
        var from = request.From ?? DateTimeOffset.UnixEpoch;
        var to = request.To ?? time.GetUtcNow().AddSeconds(1);
        if (to <= from)
        {
            throw new ArgumentException($"The range to check is empty: it ends ({to:O}) at or before it starts ({from:O}).", nameof(request));
        }

        // A group may be committed after its last entry by a buffered record's retries, and by up to two seal intervals
        // (the interval, and one retry after a failed seal).
        var commitLag = s_commitLag + (2 * log.SealInterval);
        await using var lease = await keys.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        var ring = lease.Ring;
        var audit = new Audit(tenantId);

        var checkpoints = await repository.ReadCheckpointsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var usable = new Dictionary<(Guid Chain, long Sequence), LogCheckpoint>();
        var droppedBefore = DateTimeOffset.MinValue;
        foreach (var checkpoint in checkpoints)
        {
            var digest = checkpoint.Digest;
            if (LogChainFormat.Check(ring, digest) != DigestCheck.Authentic || digest.TenantId != tenantId
                || digest.CommittedAt >= checkpoint.DroppedBefore)
            {
                audit.Breaks.Add(new LogChainBreak(digest.ChainId, digest.TenantId, digest.Sequence, LogChainBreakKind.CheckpointInvalid));
                continue;
            }

            usable[(digest.ChainId, digest.Sequence)] = checkpoint;
            droppedBefore = checkpoint.DroppedBefore > droppedBefore ? checkpoint.DroppedBefore : droppedBefore;
        }

        var inRange = await repository.ReadDigestsAsync(tenantId, from, to, cancellationToken).ConfigureAwait(false);
        var windowStart = from;
        foreach (var digest in inRange)
        {
            windowStart = digest.FirstEntryAt < windowStart ? digest.FirstEntryAt : windowStart;
        }

        var before = windowStart < from ? await repository.ReadDigestsAsync(tenantId, windowStart, from, cancellationToken).ConfigureAwait(false) : [];
        var after = await repository.ReadDigestsAsync(tenantId, to, to + commitLag, cancellationToken).ConfigureAwait(false);
        var entries = new Dictionary<(LogEntryKind, Guid), StoredLogEntry>();
        foreach (var entry in await repository.ReadEntriesAsync(tenantId, windowStart, to, cancellationToken).ConfigureAwait(false))
        {
            entries[(entry.Kind, entry.Id)] = entry;
        }

        // Groups next to the range: only which entries they name (when authentic), and the predecessors of the range's first groups.
        var known = new Dictionary<(Guid Chain, long Sequence), LogDigest>();
        var covered = new HashSet<(LogEntryKind, Guid)>();
        foreach (var digest in before.Concat(after))
        {
            known[(digest.ChainId, digest.Sequence)] = digest;
            if (LogChainFormat.Check(ring, digest) == DigestCheck.Authentic)
            {
                foreach (var (kind, id, _, _) in ManifestEntries(digest))
                {
                    covered.Add((kind, id));
                }
            }
        }

        var chains = inRange.GroupBy(d => d.ChainId).ToList();
        var missing = new List<(LogEntryKind Kind, Guid Id, byte[] Hash, LogDigest Group)>();
        var chainsChecked = 0;
        var newestHeads = new List<LogChainHead>();
        foreach (var chain in chains)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LogDigest? previous = null;
            LogDigest? newest = null;
            foreach (var group in chain.OrderBy(d => d.Sequence))
            {
                known[(group.ChainId, group.Sequence)] = group;
                audit.Groups++;
                previous ??= await PredecessorAsync(group, known, usable, cancellationToken).ConfigureAwait(false);
                var predecessor = previous;
                previous = group;
                var check = LogChainFormat.Check(ring, group);
                if (check == DigestCheck.KeyUnavailable)
                {
                    audit.Breaks.Add(new LogChainBreak(group.ChainId, group.TenantId, group.Sequence, LogChainBreakKind.MasterKeyUnavailable));
                    continue;
                }

                if (check != DigestCheck.Authentic)
                {
                    // Neither its manifest nor its link is evidence of anything: the entries it names count as not covered.
                    audit.Breaks.Add(new LogChainBreak(group.ChainId, group.TenantId, group.Sequence, LogChainBreakKind.DigestInvalid));
                    continue;
                }

                CheckLink(audit, group, predecessor);
                newest = group;

                foreach (var (kind, id, entryTime, hash) in ManifestEntries(group))
                {
                    audit.Entries++;
                    covered.Add((kind, id));
                    if (!entries.TryGetValue((kind, id), out var stored))
                    {
                        // Dropped by retention (the tables partitioned by month), or stored with another time, or deleted: told apart below.
                        if (!(kind is LogEntryKind.Record or LogEntryKind.ControlPlaneAudit or LogEntryKind.DataPlaneAudit && entryTime < droppedBefore))
                        {
                            missing.Add((kind, id, hash, group));
                        }

                        continue;
                    }

                    if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(LogChainFormat.HashStored(stored), hash))
                    {
                        audit.Modified.Add(new LogEntryFinding(kind, id, group.ChainId, group.Sequence));
                    }
                }
            }

            if (newest is not null)
            {
                newestHeads.Add(new LogChainHead(newest.ChainId, newest.TenantId, newest.Sequence, newest.Digest));
            }

            chainsChecked++;
            progress?.Report(new LogAuditProgress(chainsChecked, chains.Count, audit.Groups));
        }

        var uncovered = entries.Values.Where(e => !covered.Contains((e.Kind, e.Id)) && !(e.Time < droppedBefore)).ToList();
        if (uncovered.Count > 0)
        {
            // Groups committed while the walk read (the log keeps being written: this walk's own read_log decision, other
            // callers' verifications) have entries read after their digests were: look once more, at the digests
            // committed since the walk started (give or take another instance's clock). An entry such a group names is
            // checked against its hash like any other; the group's link is the next walk's to check.
            // Another writer seals what it committed within its seal interval: when an entry is that recent, wait it out first.
            var sealInterval = log.SealInterval;
            if (sealInterval > TimeSpan.Zero && uncovered.Exists(e => e.Time >= walkStarted - sealInterval - s_lateMargin))
            {
                await Task.Delay(sealInterval + s_sealLag, time, cancellationToken).ConfigureAwait(false);
            }

            var since = walkStarted - s_lateMargin > windowStart ? walkStarted - s_lateMargin : windowStart;
            foreach (var digest in await repository.ReadDigestsAsync(tenantId, since, to + commitLag, cancellationToken).ConfigureAwait(false))
            {
                if (known.ContainsKey((digest.ChainId, digest.Sequence)) || LogChainFormat.Check(ring, digest) != DigestCheck.Authentic)
                {
                    continue;
                }

                // Every entry such a seal names in the range is checked as the range's own groups' are: one it names and
                // the database no longer holds (deleted before the seal) is reported, not only the ones still stored.
                foreach (var (kind, id, entryTime, hash) in ManifestEntries(digest))
                {
                    if (covered.Contains((kind, id)))
                    {
                        continue;
                    }

                    if (entries.TryGetValue((kind, id), out var stored))
                    {
                        audit.Entries++;
                        covered.Add((kind, id));
                        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(LogChainFormat.HashStored(stored), hash))
                        {
                            audit.Modified.Add(new LogEntryFinding(kind, id, digest.ChainId, digest.Sequence));
                        }
                    }
                    else if (entryTime >= from && entryTime < to)
                    {
                        audit.Entries++;
                        covered.Add((kind, id));
                        missing.Add((kind, id, hash, digest));
                    }
                }
            }
        }

        // An entry named but not in the window is either stored with another time (modified) or gone (deleted).
        if (missing.Count > 0)
        {
            var found = new Dictionary<(LogEntryKind, Guid), StoredLogEntry>();
            foreach (var chunk in missing.Select(m => m.Id).Distinct().Chunk(1000))
            {
                foreach (var entry in await repository.ReadEntriesAsync(tenantId, chunk, cancellationToken).ConfigureAwait(false))
                {
                    found[(entry.Kind, entry.Id)] = entry;
                }
            }

            foreach (var (kind, id, hash, group) in missing)
            {
                if (!found.TryGetValue((kind, id), out var stored))
                {
                    audit.Deleted.Add(new LogEntryFinding(kind, id, group.ChainId, group.Sequence));
                }
                else if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(LogChainFormat.HashStored(stored), hash))
                {
                    audit.Modified.Add(new LogEntryFinding(kind, id, group.ChainId, group.Sequence));
                }
            }
        }

        foreach (var entry in uncovered.OrderBy(e => e.Time).ThenBy(e => e.Id))
        {
            if (!covered.Contains((entry.Kind, entry.Id)))
            {
                audit.Inserted.Add(new LogEntryFinding(entry.Kind, entry.Id, null, 0));
            }
        }

        var headsNotChecked = 0;
        foreach (var head in request.ExpectedHeads)
        {
            ArgumentNullException.ThrowIfNull(head, nameof(request));
            if (head.TenantId != tenantId)
            {
                headsNotChecked++;
                continue;
            }

            await CheckHeadAsync(audit, head, known, cancellationToken).ConfigureAwait(false);
        }

        var report = new LogAuditReport
        {
            TenantId = tenantId,
            From = from,
            To = to,
            ChainCount = chains.Count,
            GroupCount = audit.Groups,
            EntryCount = audit.Entries,
            Modified = audit.Modified,
            Deleted = audit.Deleted,
            Inserted = audit.Inserted,
            BrokenLinks = audit.Breaks,
            Checkpoints = [.. usable.Values],
            NewestHeads = newestHeads,
            HeadsNotChecked = headsNotChecked,
        };
        if (report.IsClean)
        {
            Log.LogAuditClean(logger, tenantId, audit.Groups, chains.Count, audit.Entries);
        }
        else
        {
            Log.LogAuditFoundTampering(logger, tenantId, audit.Modified.Count, audit.Deleted.Count, audit.Inserted.Count, audit.Breaks.Count);
        }

        return report;
    }

    private static void CheckLink(Audit audit, LogDigest group, LogDigest? previous)
    {
        if (group.Sequence == 1)
        {
            if (!LogChainFormat.GenesisPrevious.SequenceEqual(group.PreviousDigest))
            {
                audit.Breaks.Add(new LogChainBreak(group.ChainId, group.TenantId, group.Sequence, LogChainBreakKind.PreviousMismatch));
            }

            return;
        }

        if (previous is null || previous.Sequence < group.Sequence - 1)
        {
            audit.Breaks.Add(new LogChainBreak(group.ChainId, group.TenantId, previous is null ? group.Sequence - 1 : previous.Sequence + 1, LogChainBreakKind.MissingGroup));
            return;
        }

        if (!previous.Digest.AsSpan().SequenceEqual(group.PreviousDigest))
        {
            audit.Breaks.Add(new LogChainBreak(group.ChainId, group.TenantId, group.Sequence, LogChainBreakKind.PreviousMismatch));
        }
    }

    // The group before the first of a chain in the range: next to the range, further back, or kept by a checkpoint.
    private async Task<LogDigest?> PredecessorAsync(LogDigest group, Dictionary<(Guid, long), LogDigest> known, Dictionary<(Guid, long), LogCheckpoint> checkpoints, CancellationToken cancellationToken)
    {
        if (group.Sequence <= 1)
        {
            return null;
        }

        var key = (group.ChainId, group.Sequence - 1);
        if (known.TryGetValue(key, out var digest))
        {
            return digest;
        }

        if (await repository.ReadDigestAsync(group.TenantId, group.ChainId, group.Sequence - 1, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            known[key] = stored;
            return stored;
        }

        return checkpoints.TryGetValue(key, out var checkpoint) ? checkpoint.Digest : null;
    }

    private async Task CheckHeadAsync(Audit audit, LogChainHead head, Dictionary<(Guid, long), LogDigest> known, CancellationToken cancellationToken)
    {
        if (!known.TryGetValue((head.ChainId, head.Sequence), out var digest))
        {
            digest = await repository.ReadDigestAsync(head.TenantId, head.ChainId, head.Sequence, cancellationToken).ConfigureAwait(false);
        }

        if (digest is null)
        {
            // Cut off from the group after the newest one still stored (as far as the walk saw).
            var newest = known.Keys.Where(k => k.Item1 == head.ChainId && k.Item2 < head.Sequence).Select(k => k.Item2).DefaultIfEmpty(0).Max();
            audit.Breaks.Add(new LogChainBreak(head.ChainId, head.TenantId, newest > 0 ? newest + 1 : head.Sequence, LogChainBreakKind.Truncated));
        }
        else if (!head.HasDigest(digest.Digest))
        {
            audit.Breaks.Add(new LogChainBreak(head.ChainId, head.TenantId, head.Sequence, LogChainBreakKind.HeadMismatch));
        }
    }

    private static IEnumerable<(LogEntryKind Kind, Guid Id, DateTimeOffset Time, byte[] Hash)> ManifestEntries(LogDigest digest)
    {
        for (var offset = 0; offset + LogChainFormat.ManifestEntrySize <= digest.Manifest.Length; offset += LogChainFormat.ManifestEntrySize)
        {
            var entry = digest.Manifest.AsSpan(offset, LogChainFormat.ManifestEntrySize);
            var kind = (LogEntryKind)entry[0];
            var id = new Guid(entry.Slice(1, 16), bigEndian: true);
            var entryTime = LogChainFormat.FromMicroseconds(System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(entry.Slice(17, 8)));
            yield return (kind, id, entryTime, entry.Slice(25, 32).ToArray());
        }
    }

    private sealed class Audit(Guid tenantId)
    {
        public Guid TenantId { get; } = tenantId;

        public long Groups { get; set; }

        public long Entries { get; set; }

        public List<LogEntryFinding> Modified { get; } = [];

        public List<LogEntryFinding> Deleted { get; } = [];

        public List<LogEntryFinding> Inserted { get; } = [];

        public List<LogChainBreak> Breaks { get; } = [];
    }
}
