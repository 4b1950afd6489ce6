namespace KeyInfra.Verification.Chain;

/// <summary>
/// A log row as stored, column by column, for <c>log verify</c> to hash again: a verification record, a batch, a
/// batch item or an audit record (<see cref="Kind"/> says which fields apply). Storage providers read it; they do not interpret it.
/// </summary>
/// <remarks>Immutable; the byte arrays are the entry's own.</remarks>
public sealed record StoredLogEntry
{
    /// <summary>Which table the row is in.</summary>
    public required LogEntryKind Kind { get; init; }

    /// <summary>The row's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The tenant (a batch item's is its batch's).</summary>
    public required Guid TenantId { get; init; }

    /// <summary>A verification's time (record, item), a batch's start, or an audit record's <c>occurred_at</c>: the time the log's ranges use.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>A batch item's batch; <c>null</c> otherwise.</summary>
    public Guid? BatchId { get; init; }

    /// <summary>A batch item's index in its batch; 0 otherwise.</summary>
    public int ItemIndex { get; init; }

    /// <summary>The stored <c>key_id</c> (set when the key existed); records, items and data-plane audit records.</summary>
    public Guid? KeyId { get; init; }

    /// <summary>The stored <c>requested_key_id</c>; records and items.</summary>
    public Guid RequestedKeyId { get; init; }

    /// <summary>The stored <c>algorithm</c>; records and items.</summary>
    public string? Algorithm { get; init; }

    /// <summary>The stored <c>result</c> text, such as <c>invalid_signature</c>; records and items.</summary>
    public string? Result { get; init; }

    /// <summary>The stored <c>document_sha256</c>; records and items.</summary>
    public byte[]? DocumentSha256 { get; init; }

    /// <summary>The stored <c>signature_sha256</c>; records and items.</summary>
    public byte[]? SignatureSha256 { get; init; }

    /// <summary>The stored <c>caller</c>; records and batches.</summary>
    public string? Caller { get; init; }

    /// <summary>The stored <c>caller_id</c>; records and batches.</summary>
    public string? CallerId { get; init; }

    /// <summary>The stored <c>detail</c>; records and items.</summary>
    public string? Detail { get; init; }

    /// <summary>A batch's <c>completed_at</c>; <c>null</c> otherwise.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>A batch's <c>total_count</c>; 0 otherwise.</summary>
    public int TotalCount { get; init; }

    /// <summary>A batch's <c>valid_count</c>; 0 otherwise.</summary>
    public int ValidCount { get; init; }

    /// <summary>The stored <c>actor_type</c> text; audit records.</summary>
    public string? ActorType { get; init; }

    /// <summary>The stored <c>actor_id</c>; audit records.</summary>
    public string? ActorId { get; init; }

    /// <summary>The stored <c>actor_ip</c>; audit records.</summary>
    public string? ActorAddress { get; init; }

    /// <summary>The stored <c>request_id</c>; audit records.</summary>
    public string? RequestId { get; init; }

    /// <summary>The stored <c>action</c>; audit records.</summary>
    public string? Action { get; init; }

    /// <summary>The stored <c>target_type</c>; control-plane records.</summary>
    public string? TargetType { get; init; }

    /// <summary>The stored <c>target_id</c>; control-plane records.</summary>
    public string? TargetId { get; init; }

    /// <summary>The stored <c>before</c> JSON text; control-plane records.</summary>
    public string? Before { get; init; }

    /// <summary>The stored <c>after</c> JSON text; control-plane records.</summary>
    public string? After { get; init; }

    /// <summary>The stored <c>decision</c> text; data-plane records.</summary>
    public string? Decision { get; init; }

    /// <summary>The stored <c>reason</c>; data-plane records.</summary>
    public string? Reason { get; init; }
}
