using KeyInfra.Verification;
using KeyInfra.Verification.Chain;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>
/// The rows of one group commit, with the tenants and months they touch. The records were checked in Core before they
/// were queued (well formed, no NUL in text, items of the batch's tenant), so they are not checked again here.
/// </summary>
internal sealed class LogRows
{
    private readonly HashSet<Guid> _recordTenants = [];
    private readonly HashSet<Guid> _batchTenants = [];
    private readonly SortedSet<int> _months = [];

    private readonly Dictionary<Guid, LogDigest> _digests = [];

    private LogRows(IReadOnlyList<VerificationRecord> records, IReadOnlyList<BatchVerificationRecord> batches)
    {
        Records = records;
        Batches = batches;
    }

    public IReadOnlyList<VerificationRecord> Records { get; }

    public IReadOnlyList<BatchVerificationRecord> Batches { get; }

    /// <summary>The rows this group writes: records, batches and their items.</summary>
    public int RowCount { get; private set; }

    /// <summary>The months (year × 12 + month − 1, UTC) of the records' times: each needs a partition.</summary>
    public IReadOnlySet<int> Months => _months;

    public IEnumerable<Guid> Tenants => _recordTenants.Union(_batchTenants);

    public bool HasRecords(Guid tenantId) => _recordTenants.Contains(tenantId);

    public bool HasBatches(Guid tenantId) => _batchTenants.Contains(tenantId);

    /// <summary>The group's chain digest for a tenant (one per tenant), or <c>null</c> when the log is not chained.</summary>
    public LogDigest? Digest(Guid tenantId) => _digests.GetValueOrDefault(tenantId);

    public static LogRows Create(IReadOnlyList<VerificationRecord> records, IReadOnlyList<BatchVerificationRecord> batches, IReadOnlyList<LogDigest> digests)
    {
        var rows = new LogRows(records, batches);
        foreach (var digest in digests)
        {
            ArgumentNullException.ThrowIfNull(digest, nameof(digests));
            if (!rows._digests.TryAdd(digest.TenantId, digest))
            {
                throw new ArgumentException($"A group commit has one chain digest per tenant; tenant {digest.TenantId} has two.", nameof(digests));
            }
        }

        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            rows._recordTenants.Add(record.TenantId);
            var utc = record.VerifiedAt.UtcDateTime;
            rows._months.Add((utc.Year * 12) + utc.Month - 1);
        }

        foreach (var batch in batches)
        {
            ArgumentNullException.ThrowIfNull(batch, nameof(batches));
            ArgumentNullException.ThrowIfNull(batch.Items, nameof(batches));
            rows._batchTenants.Add(batch.TenantId);
            rows.RowCount += batch.Items.Count + 1;
        }

        rows.RowCount += records.Count;

        return rows;
    }

    public static DateTime MonthStart(int month) => new(month / 12, (month % 12) + 1, 1, 0, 0, 0, DateTimeKind.Utc);
}
