namespace KeyInfra.Verification.Chain;

/// <summary>What <see cref="IVerificationLogAuditor.VerifyAsync"/> checks.</summary>
public sealed record LogAuditRequest
{
    /// <summary>The groups committed at or after this time are checked; <c>null</c> from the beginning.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The groups committed before this time are checked; <c>null</c> up to now.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>
    /// Heads copied out earlier (<see cref="IVerificationLogAuditor.GetChainHeads"/>, event 1100): each chain of the
    /// caller's tenant must still hold its head's group with its head's digest, or the chain was cut off or forked.
    /// Heads of other tenants are not checked (<see cref="LogAuditReport.HeadsNotChecked"/>).
    /// </summary>
    public IReadOnlyList<LogChainHead> ExpectedHeads { get; init; } = [];
}
