using KeyInfra.Audit;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;

namespace KeyInfra.Storage;

/// <summary>
/// One group commit of the log writer: verification records, batches, audit records of both planes, and the group's
/// chain digests (one per tenant), which <see cref="IVerificationLogRepository.AppendAsync"/> commits together or not at all.
/// </summary>
/// <remarks>Immutable; the lists are the writer's and must not be changed.</remarks>
public sealed record LogGroup
{
    /// <summary>Verification records.</summary>
    public IReadOnlyList<VerificationRecord> Records { get; init; } = [];

    /// <summary>Batches, with their items.</summary>
    public IReadOnlyList<BatchVerificationRecord> Batches { get; init; } = [];

    /// <summary>Control-plane audit records.</summary>
    public IReadOnlyList<ControlPlaneAuditRecord> ControlPlane { get; init; } = [];

    /// <summary>Data-plane audit records.</summary>
    public IReadOnlyList<DataPlaneAuditRecord> DataPlane { get; init; } = [];

    /// <summary>
    /// The chain digests committed with the group: at most one per tenant; none when the log is not chained or no seal is
    /// due. A digest may cover entries of earlier groups, and a group may hold digests and no rows (a seal of its own).
    /// </summary>
    public IReadOnlyList<LogDigest> Digests { get; init; } = [];

    /// <summary>Whether the group holds no row to write, digests included.</summary>
    public bool IsEmpty => Records.Count == 0 && Batches.Count == 0 && ControlPlane.Count == 0 && DataPlane.Count == 0 && Digests.Count == 0;
}
