namespace KeyInfra.Verification.Chain;

/// <summary>One log entry that does not match its chain.</summary>
/// <param name="Kind">The entry's table.</param>
/// <param name="Id">The entry's id.</param>
/// <param name="ChainId">The chain whose digest names the entry; <c>null</c> for an inserted entry no digest names.</param>
/// <param name="Sequence">The group of that chain; 0 for an inserted entry.</param>
public sealed record LogEntryFinding(LogEntryKind Kind, Guid Id, Guid? ChainId, long Sequence);
