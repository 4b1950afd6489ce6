namespace KeyInfra.Verification.Chain;

/// <summary>A place where a chain does not hold together.</summary>
/// <param name="ChainId">The writer's chain.</param>
/// <param name="TenantId">The chain's tenant.</param>
/// <param name="Sequence">The group at which it breaks.</param>
/// <param name="Kind">How it breaks.</param>
public sealed record LogChainBreak(Guid ChainId, Guid TenantId, long Sequence, LogChainBreakKind Kind);
