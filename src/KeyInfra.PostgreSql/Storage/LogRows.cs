using KeyInfra.Verification;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>The checked rows of one group commit, with the tenants and months they touch.</summary>
internal sealed class LogRows
{
    private readonly HashSet<Guid> _recordTenants = [];
    private readonly HashSet<Guid> _batchTenants = [];
    private readonly SortedSet<int> _months = [];

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

    /// <exception cref="ArgumentException">A record or batch is malformed (as the EF Core repository would refuse it).</exception>
    public static LogRows Create(IReadOnlyList<VerificationRecord> records, IReadOnlyList<BatchVerificationRecord> batches)
    {
        var rows = new LogRows(records, batches);
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            Check(record, nameof(records));
            rows._recordTenants.Add(record.TenantId);
            var utc = record.VerifiedAt.UtcDateTime;
            rows._months.Add((utc.Year * 12) + utc.Month - 1);
        }

        foreach (var batch in batches)
        {
            ArgumentNullException.ThrowIfNull(batch, nameof(batches));
            ArgumentNullException.ThrowIfNull(batch.Items, nameof(batches));
            PostgreSqlText.Check(batch.Caller, nameof(batches));
            PostgreSqlText.Check(batch.CallerId, nameof(batches));
            for (var index = 0; index < batch.Items.Count; index++)
            {
                var item = batch.Items[index];
                ArgumentNullException.ThrowIfNull(item, nameof(batches));
                if (item.TenantId != batch.TenantId)
                {
                    // Items have no tenant column of their own: they are the batch's.
                    throw new ArgumentException($"Item {index} of batch {batch.Id} belongs to another tenant than the batch.", nameof(batches));
                }

                Check(item, nameof(batches));
            }

            rows._batchTenants.Add(batch.TenantId);
            rows.RowCount += batch.Items.Count + 1;
        }

        rows.RowCount += records.Count;

        return rows;
    }

    public static DateTime MonthStart(int month) => new(month / 12, (month % 12) + 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static void Check(VerificationRecord record, string paramName)
    {
        if (record.DocumentSha256 is not { Length: 32 } || record.SignatureSha256 is not { Length: 32 })
        {
            throw new ArgumentException($"Verification record {record.Id} must carry 32-byte SHA-256 hashes of the document and signature.", paramName);
        }

        PostgreSqlText.Check(record.Caller, paramName);
        PostgreSqlText.Check(record.CallerId, paramName);
        PostgreSqlText.Check(record.Detail, paramName);
        PostgreSqlText.Check(record.Algorithm, paramName);
    }
}
