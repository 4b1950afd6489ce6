namespace KeyInfra.Audit;

/// <summary>
/// One change, as <c>control_plane_audit</c> stores it: who changed what in which tenant, and the target's state
/// before and after.
/// </summary>
/// <remarks>
/// <para><see cref="Before"/> and <see cref="After"/> are JSON objects whose values are strings (or <c>null</c>), keys
/// in ordinal order, written by KeyInfra from the target's public fields: never a secret, a hash or key material.</para>
/// <para>Immutable; every record is chained like the verification log's (docs/security/log-chain.md).</para>
/// </remarks>
public sealed record ControlPlaneAuditRecord
{
    /// <summary>The record's id (UUIDv7).</summary>
    public required Guid Id { get; init; }

    /// <summary>The tenant whose data changed.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>When the change was made (UTC, kept to the microsecond).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Who made it.</summary>
    public required AuditActorKind ActorKind { get; init; }

    /// <summary>The caller's <see cref="Authorization.Caller.StableId"/>; <c>null</c> when anonymous.</summary>
    public string? ActorId { get; init; }

    /// <summary>The caller's network address, when the host gave one.</summary>
    public string? ActorAddress { get; init; }

    /// <summary>The host's request id, when it gave one.</summary>
    public string? RequestId { get; init; }

    /// <summary>What was done, such as <c>key.revoke</c> or <c>user.create</c> (<see cref="AuditActions"/>).</summary>
    public required string Action { get; init; }

    /// <summary>The kind of thing changed, such as <c>key</c>, <c>user</c> or <c>hsm_slot</c>.</summary>
    public required string TargetType { get; init; }

    /// <summary>Its id, when it has one.</summary>
    public string? TargetId { get; init; }

    /// <summary>Its state before the change, as a JSON object; <c>null</c> when it did not exist.</summary>
    public string? Before { get; init; }

    /// <summary>Its state after the change, as a JSON object; <c>null</c> when it no longer exists.</summary>
    public string? After { get; init; }
}
