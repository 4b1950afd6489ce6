using KeyInfra.Audit;
using KeyInfra.Storage;
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
    private readonly HashSet<Guid> _auditTenants = [];
    private readonly SortedSet<int> _months = [];

    private readonly Dictionary<Guid, LogDigest> _digests = [];

    private LogRows(LogGroup group)
    {
        Records = group.Records;
        Batches = group.Batches;
        ControlPlane = group.ControlPlane;
        DataPlane = group.DataPlane;
    }

    public IReadOnlyList<VerificationRecord> Records { get; }

    public IReadOnlyList<BatchVerificationRecord> Batches { get; }

    public IReadOnlyList<ControlPlaneAuditRecord> ControlPlane { get; }

    public IReadOnlyList<DataPlaneAuditRecord> DataPlane { get; }

    /// <summary>The rows this group writes: records, batches and their items, audit records.</summary>
    public int RowCount { get; private set; }

    /// <summary>The months (year × 12 + month − 1, UTC) of the records' and audit records' times: each needs a partition.</summary>
    public IReadOnlySet<int> Months => _months;

    public IEnumerable<Guid> Tenants => _recordTenants.Union(_batchTenants).Union(_auditTenants).Union(_digests.Keys);

    public bool HasRecords(Guid tenantId) => _recordTenants.Contains(tenantId);

    public bool HasBatches(Guid tenantId) => _batchTenants.Contains(tenantId);

    public bool HasAudit(Guid tenantId) => _auditTenants.Contains(tenantId);

    /// <summary>The group's chain digest for a tenant (one per tenant), or <c>null</c> when the log is not chained.</summary>
    public LogDigest? Digest(Guid tenantId) => _digests.GetValueOrDefault(tenantId);

    public static LogRows Create(LogGroup group)
    {
        var rows = new LogRows(group);
        foreach (var digest in group.Digests)
        {
            ArgumentNullException.ThrowIfNull(digest, nameof(group));
            if (!rows._digests.TryAdd(digest.TenantId, digest))
            {
                throw new ArgumentException($"A group commit has one chain digest per tenant; tenant {digest.TenantId} has two.", nameof(group));
            }
        }

        foreach (var record in group.Records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(group));
            rows._recordTenants.Add(record.TenantId);
            rows.AddMonth(record.VerifiedAt);
        }

        foreach (var batch in group.Batches)
        {
            ArgumentNullException.ThrowIfNull(batch, nameof(group));
            ArgumentNullException.ThrowIfNull(batch.Items, nameof(group));
            rows._batchTenants.Add(batch.TenantId);
            rows.RowCount += batch.Items.Count + 1;
        }

        foreach (var record in group.ControlPlane)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(group));
            rows._auditTenants.Add(record.TenantId);
            rows.AddMonth(record.OccurredAt);
        }

        foreach (var record in group.DataPlane)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(group));
            rows._auditTenants.Add(record.TenantId);
            rows.AddMonth(record.OccurredAt);
        }

        rows.RowCount += group.Records.Count + group.ControlPlane.Count + group.DataPlane.Count;

        return rows;
    }

    private void AddMonth(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        _months.Add((utc.Year * 12) + utc.Month - 1);
    }

    public static DateTime MonthStart(int month) => new(month / 12, (month % 12) + 1, 1, 0, 0, 0, DateTimeKind.Utc);
}
