using KeyInfra.Verification;

namespace KeyInfra.Storage;

/// <summary>
/// Persists the verification log. The log writer calls <see cref="AppendAsync"/> with the records and
/// batches of many callers at once; an implementation commits them all in one transaction, or none.
/// </summary>
public interface IVerificationLogRepository
{
    /// <summary>Commits records and batches (with their items) in one transaction.</summary>
    Task AppendAsync(IReadOnlyList<VerificationRecord> records, IReadOnlyList<BatchVerificationRecord> batches, CancellationToken cancellationToken = default);

    /// <summary>Reads a tenant's records, newest first, at most <see cref="VerificationLogQuery.PageSize"/> + 1 (the extra one tells there is a next page).</summary>
    Task<IReadOnlyList<VerificationRecord>> QueryAsync(Guid tenantId, VerificationLogQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads a batch and its items in item order.</summary>
    Task<BatchVerificationRecord?> GetBatchAsync(Guid tenantId, Guid batchId, CancellationToken cancellationToken = default);
}
