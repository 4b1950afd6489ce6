namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>batch_verifications</c>.</summary>
internal sealed class BatchVerificationEntity
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public string? Caller { get; set; }

    public string? CallerId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset CompletedAt { get; set; }

    public int TotalCount { get; set; }

    public int ValidCount { get; set; }

    public List<BatchVerificationItemEntity> Items { get; set; } = [];
}
