namespace KeyInfra.Audit;

/// <summary>
/// The control-plane and data-plane audit logs: KeyInfra records every change it makes and every decision it takes;
/// hosts read them back, export them, and may record changes of their own.
/// </summary>
/// <remarks>
/// <para>Both logs are written by the verification log's group-commit writer and chained with it, so <c>log verify</c>
/// (<see cref="Verification.Chain.IVerificationLogAuditor"/>) finds an audit record a database writer changed, removed
/// or added. The control plane is Durable by default (a change returns once its record is committed), the data plane
/// Buffered (<see cref="AuditOptions"/>).</para>
/// <para>Reads are limited to the current tenant and asked about with <see cref="Authorization.KeyInfraOperation.ReadAudit"/>.
/// Thread-safe; registered as a singleton.</para>
/// </remarks>
public interface IAuditTrail
{
    /// <summary>Records a change made by the current caller in the current tenant.</summary>
    /// <exception cref="ArgumentException">The change is not well formed (see <see cref="AuditChange"/>).</exception>
    /// <exception cref="Errors.VerificationLogException">The record could not be committed (Durable control plane).</exception>
    ValueTask RecordChangeAsync(AuditChange change, CancellationToken cancellationToken = default);

    /// <summary>Reads control-plane records, newest first.</summary>
    /// <exception cref="Errors.AccessDeniedException">The caller may not read the audit logs (KI5001).</exception>
    /// <exception cref="ArgumentException">The query is not valid, or its cursor names no record of this tenant.</exception>
    Task<AuditPage<ControlPlaneAuditRecord>> QueryControlPlaneAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads data-plane records, newest first.</summary>
    /// <exception cref="Errors.AccessDeniedException">The caller may not read the audit logs (KI5001).</exception>
    /// <exception cref="ArgumentException">The query is not valid, or its cursor names no record of this tenant.</exception>
    Task<AuditPage<DataPlaneAuditRecord>> QueryDataPlaneAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes every control-plane record the query's filters match, newest first, as JSON Lines (one UTF-8 JSON object
    /// per line, the fields of <see cref="ControlPlaneAuditRecord"/> in snake case) to <paramref name="destination"/>.
    /// The query's <see cref="AuditQuery.PageSize"/> sets how many are read at a time.
    /// </summary>
    /// <returns>How many records were written.</returns>
    Task<long> ExportControlPlaneAsync(AuditQuery query, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Writes every data-plane record the query's filters match, newest first, as JSON Lines.</summary>
    /// <returns>How many records were written.</returns>
    Task<long> ExportDataPlaneAsync(AuditQuery query, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Waits until every audit record queued so far is committed (with the verification log's).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
