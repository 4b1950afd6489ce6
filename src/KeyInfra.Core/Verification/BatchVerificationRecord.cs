namespace KeyInfra.Verification;

/// <summary>A batch verification as recorded: one row and its items.</summary>
public sealed record BatchVerificationRecord
{
    /// <summary>The batch id (UUIDv7).</summary>
    public required Guid Id { get; init; }

    /// <summary>The tenant the batch ran in.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>Who asked, free text.</summary>
    public string? Caller { get; init; }

    /// <summary>The stable id of the caller (from the caller context); up to 200 characters.</summary>
    public string? CallerId { get; init; }

    /// <summary>When the batch started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the batch finished verifying (UTC).</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>The items in request order; each item's <see cref="VerificationRecord.Id"/> is the item id.</summary>
    public required IReadOnlyList<VerificationRecord> Items { get; init; }
}
