namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>
/// The columns both audit tables have (<c>control_plane_audit</c>, <c>data_plane_audit</c>), so that their filters and
/// keyset paging are written once for both.
/// </summary>
internal interface IAuditRow
{
    Guid Id { get; }

    Guid TenantId { get; }

    DateTimeOffset OccurredAt { get; }

    string Action { get; }

    string? ActorId { get; }
}
