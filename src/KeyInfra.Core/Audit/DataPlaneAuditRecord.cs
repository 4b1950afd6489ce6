namespace KeyInfra.Audit;

/// <summary>
/// One decision, as <c>data_plane_audit</c> stores it: an operation allowed or denied by the authorizer, or a credential
/// or password check, with the reason given.
/// </summary>
/// <remarks>Immutable; every record is chained like the verification log's (docs/security/log-chain.md).</remarks>
public sealed record DataPlaneAuditRecord
{
    /// <summary>The record's id (UUIDv7).</summary>
    public required Guid Id { get; init; }

    /// <summary>The tenant of the call.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>When the decision was made (UTC, kept to the microsecond).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Who asked.</summary>
    public required AuditActorKind ActorKind { get; init; }

    /// <summary>The caller's <see cref="Authorization.Caller.StableId"/> (for a credential check, the application the client id names when it is right); <c>null</c> when anonymous.</summary>
    public string? ActorId { get; init; }

    /// <summary>The caller's network address, when the host gave one.</summary>
    public string? ActorAddress { get; init; }

    /// <summary>The host's request id, when it gave one.</summary>
    public string? RequestId { get; init; }

    /// <summary>What was asked, such as <c>sign</c>, <c>get_key</c> or <c>credential.check</c> (<see cref="AuditActions"/>).</summary>
    public required string Action { get; init; }

    /// <summary>Allowed or denied.</summary>
    public required AuditDecision Decision { get; init; }

    /// <summary>Why, in a few words (the authorizer's reason for a denial); <c>null</c> when none was given.</summary>
    public string? Reason { get; init; }

    /// <summary>The key the call named, if any.</summary>
    public Guid? KeyId { get; init; }
}
