namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>data_plane_audit</c>. Texts are kept as stored, so <c>log verify</c> hashes what is there.</summary>
internal sealed class DataPlaneAuditEntity : IAuditRow
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public string ActorType { get; set; } = string.Empty;

    public string? ActorId { get; set; }

    public string? ActorIp { get; set; }

    public string? RequestId { get; set; }

    public string Action { get; set; } = string.Empty;

    public string Decision { get; set; } = string.Empty;

    public string? Reason { get; set; }

    /// <summary>The key the call named; no foreign key: a decision outlives the key (and may name one that never existed).</summary>
    public Guid? KeyId { get; set; }
}
