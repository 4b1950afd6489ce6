namespace KeyInfra.Audit;

/// <summary>
/// Filters and paging of an audit query. Every filter set must match; the ones that do not apply to a log
/// (<see cref="TargetType"/> and <see cref="TargetId"/> on the data plane, <see cref="KeyId"/> and <see cref="Decision"/>
/// on the control plane) are refused.
/// </summary>
public sealed record AuditQuery
{
    /// <summary>The most records a page may hold.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Records at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Records before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Records of this action, such as <c>key.revoke</c>.</summary>
    public string? Action { get; init; }

    /// <summary>Records of this actor (<see cref="Authorization.Caller.StableId"/>).</summary>
    public string? ActorId { get; init; }

    /// <summary>Control plane: changes to this kind of target, such as <c>user</c>.</summary>
    public string? TargetType { get; init; }

    /// <summary>Control plane: changes to the target with this id.</summary>
    public string? TargetId { get; init; }

    /// <summary>Data plane: decisions about this key.</summary>
    public Guid? KeyId { get; init; }

    /// <summary>Data plane: only allowed, or only denied, decisions.</summary>
    public AuditDecision? Decision { get; init; }

    /// <summary>The page's size, 1–<see cref="MaxPageSize"/>. Default: 100.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The cursor: the <see cref="AuditPage{TRecord}.NextBefore"/> of the previous page.</summary>
    public Guid? Before { get; init; }
}
