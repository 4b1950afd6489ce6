using KeyInfra.Verification;
using KeyInfra.Verification.Chain;

namespace KeyInfra.Storage;

/// <summary>
/// Persists the verification log and the audit logs. The log writer calls <see cref="AppendAsync"/> with the rows of
/// many callers at once; an implementation commits them all in one transaction, or none.
/// </summary>
/// <remarks>
/// <para>Every provider keeps this contract (the storage conformance suite tests each point):</para>
/// <list type="bullet">
/// <item><description>A group commits all or nothing: if any row of one
/// <see cref="AppendAsync"/> call is refused (say, a record whose <see cref="VerificationRecord.KeyExists"/> names
/// a key that is not stored), the call throws and none of its rows is stored.</description></item>
/// <item><description>Appends are idempotent by record id: a record or batch already stored under its id is
/// skipped, not an error, and the rest of the group commits. The log writer relies on it to append a group again
/// after a failure that may have come after the commit.</description></item>
/// <item><description>Reads are limited to their tenant: another tenant's records and batches are not found.</description></item>
/// <item><description>A store that cannot read all it needs throws, never returns part: a row it cannot parse fails
/// the read with a <see cref="Errors.KeyInfraException"/> of code <see cref="Errors.ErrorCodes.StoredDataInvalid"/>.</description></item>
/// </list>
/// <para>Thread-safe.</para>
/// </remarks>
public interface IVerificationLogRepository
{
    /// <summary>
    /// Commits a group (verification records, batches with their items, audit records) and its chain digests in one
    /// transaction, skipping rows already stored by id (a digest by chain, tenant and sequence). The engine checks every
    /// row once before it is queued (32-byte hashes, text within its column's length and free of NUL, batch items of
    /// their batch's tenant), so an implementation stores what it is given without checking it again. The digests must
    /// commit with the rows or not at all. A group's digests may seal entries of earlier groups as well as its own, and
    /// of tenants with no row in it; a group may hold digests only (a seal when the log is idle).
    /// </summary>
    Task AppendAsync(LogGroup group, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a tenant's control-plane audit records that match every filter of <paramref name="query"/>, newest first (by
    /// time, then id), at most <see cref="Audit.AuditQuery.PageSize"/> + 1. A <see cref="Audit.AuditQuery.Before"/> cursor
    /// that is not a record of this tenant throws an <see cref="ArgumentException"/>.
    /// </summary>
    Task<IReadOnlyList<Audit.ControlPlaneAuditRecord>> QueryControlPlaneAsync(Guid tenantId, Audit.AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads a tenant's data-plane audit records, as <see cref="QueryControlPlaneAsync"/> does.</summary>
    Task<IReadOnlyList<Audit.DataPlaneAuditRecord>> QueryDataPlaneAsync(Guid tenantId, Audit.AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads a tenant's chain digests committed in [<paramref name="since"/>, <paramref name="until"/>), by chain id then sequence.</summary>
    Task<IReadOnlyList<LogDigest>> ReadDigestsAsync(Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Reads one digest of a tenant's chain; <c>null</c> if it is not stored.</summary>
    Task<LogDigest?> ReadDigestAsync(Guid tenantId, Guid chainId, long sequence, CancellationToken cancellationToken = default);

    /// <summary>Reads the retention checkpoints of a tenant's chains (none where retention never dropped anything).</summary>
    Task<IReadOnlyList<LogCheckpoint>> ReadCheckpointsAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a tenant's log rows as stored: the records verified in [<paramref name="since"/>, <paramref name="until"/>), the
    /// batches started in it and all their items, and the audit records of both planes that occurred in it.
    /// </summary>
    Task<IReadOnlyList<StoredLogEntry>> ReadEntriesAsync(Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Reads a tenant's log rows (records, batches, batch items, audit records) by id, wherever their times are; ids not stored are left out.</summary>
    Task<IReadOnlyList<StoredLogEntry>> ReadEntriesAsync(Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a tenant's records that match every filter of <paramref name="query"/>, newest first (by time, then id),
    /// at most <see cref="VerificationLogQuery.PageSize"/> + 1 (the extra one tells there is a next page). A
    /// <see cref="VerificationLogQuery.Before"/> cursor that is not a record of this tenant throws an
    /// <see cref="ArgumentException"/>.
    /// </summary>
    Task<IReadOnlyList<VerificationRecord>> QueryAsync(Guid tenantId, VerificationLogQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads a batch of the tenant and its items in item order; <c>null</c> if the tenant has no such batch.</summary>
    Task<BatchVerificationRecord?> GetBatchAsync(Guid tenantId, Guid batchId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Chain digests and retention checkpoints across tenants, selected by master key: those not under
    /// <paramref name="masterKeyId"/> (what <c>master-key rewrap</c> re-authenticates) or those it made (what must stay
    /// checkable when it is retired). Each once, read in pages so that no reader stays open while the caller writes; the
    /// order is the provider's.
    /// </summary>
    IAsyncEnumerable<StoredLogDigest> ListDigestsAsync(LogDigestSelection selection, string masterKeyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the re-wrap MAC of a stored digest or checkpoint (<see cref="LogDigest.RewrapMasterKeyId"/>,
    /// <see cref="LogDigest.RewrapMac"/>), only if the row still has <paramref name="digest"/>'s digest and effective master
    /// key (compare-and-set). Nothing else of the row changes: the log stays append-only in every other respect.
    /// </summary>
    /// <returns><c>true</c> if the row was updated; <c>false</c>, changing nothing, if it is gone or changed.</returns>
    Task<bool> SetDigestRewrapAsync(StoredLogDigest digest, string masterKeyId, byte[] rewrapMac, CancellationToken cancellationToken = default);
}
