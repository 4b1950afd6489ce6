namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>control_plane_audit</c>. Texts are kept as stored, so <c>log verify</c> hashes what is there.</summary>
internal sealed class ControlPlaneAuditEntity : IAuditRow
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public string ActorType { get; set; } = string.Empty;

    public string? ActorId { get; set; }

    public string? ActorIp { get; set; }

    public string? RequestId { get; set; }

    public string Action { get; set; } = string.Empty;

    public string TargetType { get; set; } = string.Empty;

    public string? TargetId { get; set; }

    public string? Before { get; set; }

    public string? After { get; set; }
}
