using KeyInfra.Keys;

namespace KeyInfra.Verification;

/// <summary>Filters and page position for reading the verification log, newest first.</summary>
public sealed record VerificationLogQuery
{
    /// <summary>Only records for this key id.</summary>
    public KeyId? KeyId { get; init; }

    /// <summary>
    /// Only records made by this caller (<see cref="Authorization.Caller.StableId"/>, the record's <c>caller_id</c>): a
    /// verification record's owner. With role-based access control a caller who is not tenant-wide reads the log only with
    /// a key of its own or with its own id (or its application's) here.
    /// </summary>
    public string? CallerId { get; init; }

    /// <summary>Only records with this outcome.</summary>
    public VerificationStatus? Status { get; init; }

    /// <summary>Only records at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only records before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Start after this record id (the previous page's <see cref="VerificationRecordPage.NextCursor"/>).</summary>
    public Guid? Before { get; init; }

    /// <summary>Records per page, 1–1,000; default 100.</summary>
    public int PageSize { get; init; } = 100;
}
