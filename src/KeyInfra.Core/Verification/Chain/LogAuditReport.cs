namespace KeyInfra.Verification.Chain;

/// <summary>What <see cref="IVerificationLogAuditor.VerifyAsync"/> found. Immutable.</summary>
public sealed record LogAuditReport
{
    /// <summary>The tenant checked.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>The range checked (commit times), with <c>null</c> ends filled in.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>The end of the range checked (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Chains with groups in the range.</summary>
    public required int ChainCount { get; init; }

    /// <summary>Groups checked.</summary>
    public required long GroupCount { get; init; }

    /// <summary>Entries the checked digests name.</summary>
    public required long EntryCount { get; init; }

    /// <summary>Entries whose stored fields no longer hash to what their digest recorded.</summary>
    public required IReadOnlyList<LogEntryFinding> Modified { get; init; }

    /// <summary>Entries a digest names that are no longer stored (and that retention did not drop).</summary>
    public required IReadOnlyList<LogEntryFinding> Deleted { get; init; }

    /// <summary>
    /// Stored entries in the range that no authentic digest names: written past KeyInfra, or left behind when their
    /// digest was removed or altered (then <see cref="BrokenLinks"/> says where).
    /// </summary>
    public required IReadOnlyList<LogEntryFinding> Inserted { get; init; }

    /// <summary>Where chains do not hold together, by chain and sequence.</summary>
    public required IReadOnlyList<LogChainBreak> BrokenLinks { get; init; }

    /// <summary>Retention checkpoints the walk relied on (entries before their <see cref="LogCheckpoint.DroppedBefore"/> were dropped on purpose).</summary>
    public required IReadOnlyList<LogCheckpoint> Checkpoints { get; init; }

    /// <summary>
    /// The newest authentic group of each chain in the range, as heads: copy them out of the database's reach to check a
    /// later walk against (they are as trustworthy as the database was at this walk; the writer's own heads,
    /// <see cref="IVerificationLogAuditor.GetChainHeads"/>, do not depend on it).
    /// </summary>
    public required IReadOnlyList<LogChainHead> NewestHeads { get; init; }

    /// <summary>Expected heads of other tenants, which this walk did not check.</summary>
    public required int HeadsNotChecked { get; init; }

    /// <summary>Whether nothing was found: no modified, deleted or inserted entry and no broken link.</summary>
    public bool IsClean => Modified.Count == 0 && Deleted.Count == 0 && Inserted.Count == 0 && BrokenLinks.Count == 0;
}
