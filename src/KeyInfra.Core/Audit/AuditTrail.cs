using System.Buffers;
using KeyInfra.Authorization;
using KeyInfra.Storage;
using KeyInfra.Tenancy;

namespace KeyInfra.Audit;

/// <summary><see cref="IAuditTrail"/>: records through <see cref="AuditRecorder"/>, reads through the log repository.</summary>
internal sealed class AuditTrail(AuditRecorder recorder, Verification.VerificationLog log, IVerificationLogRepository repository, ITenantContext tenant, AccessGuard access) : IAuditTrail
{
    public ValueTask RecordChangeAsync(AuditChange change, CancellationToken cancellationToken = default)
        => recorder.ChangeAsync(change, cancellationToken);

    public async Task<AuditPage<ControlPlaneAuditRecord>> QueryControlPlaneAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        Validate(query, controlPlane: true);
        var tenantId = tenant.TenantId;
        await access.DemandAsync(KeyInfraOperation.ReadAudit, tenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        var rows = await repository.QueryControlPlaneAsync(tenantId, query, cancellationToken).ConfigureAwait(false);
        return rows.Count > query.PageSize
            ? new AuditPage<ControlPlaneAuditRecord>([.. rows.Take(query.PageSize)], rows[query.PageSize - 1].Id)
            : new AuditPage<ControlPlaneAuditRecord>(rows, null);
    }

    public async Task<AuditPage<DataPlaneAuditRecord>> QueryDataPlaneAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        Validate(query, controlPlane: false);
        var tenantId = tenant.TenantId;
        await access.DemandAsync(KeyInfraOperation.ReadAudit, tenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        var rows = await repository.QueryDataPlaneAsync(tenantId, query, cancellationToken).ConfigureAwait(false);
        return rows.Count > query.PageSize
            ? new AuditPage<DataPlaneAuditRecord>([.. rows.Take(query.PageSize)], rows[query.PageSize - 1].Id)
            : new AuditPage<DataPlaneAuditRecord>(rows, null);
    }

    public Task<long> ExportControlPlaneAsync(AuditQuery query, Stream destination, CancellationToken cancellationToken = default)
        => ExportAsync(query, destination, QueryControlPlaneAsync, AuditJson.WriteLine, cancellationToken);

    public Task<long> ExportDataPlaneAsync(AuditQuery query, Stream destination, CancellationToken cancellationToken = default)
        => ExportAsync(query, destination, QueryDataPlaneAsync, AuditJson.WriteLine, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken = default) => log.FlushAsync(cancellationToken);

    private static async Task<long> ExportAsync<TRecord>(AuditQuery query, Stream destination, Func<AuditQuery, CancellationToken, Task<AuditPage<TRecord>>> read,
        Action<IBufferWriter<byte>, TRecord> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The export destination is not writable.", nameof(destination));
        }

        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var written = 0L;
        var page = query;
        while (true)
        {
            var result = await read(page, cancellationToken).ConfigureAwait(false);
            foreach (var record in result.Records)
            {
                write(buffer, record);
                written++;
            }

            await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            buffer.ResetWrittenCount();
            if (result.NextBefore is not { } next)
            {
                break;
            }

            page = page with { Before = next };
        }

        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return written;
    }

    private static void Validate(AuditQuery query, bool controlPlane)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is < 1 or > AuditQuery.MaxPageSize)
        {
            throw new ArgumentException($"An audit page holds 1–{AuditQuery.MaxPageSize} records; {query.PageSize} were asked for.", nameof(query));
        }

        if (query.From is { } from && query.To is { } to && to <= from)
        {
            throw new ArgumentException($"The audit query's range is empty: it ends ({to:O}) at or before it starts ({from:O}).", nameof(query));
        }

        if (controlPlane && (query.KeyId is not null || query.Decision is not null))
        {
            throw new ArgumentException("The control-plane audit log has no key or decision to filter on; filter by target instead (TargetType, TargetId).", nameof(query));
        }

        if (!controlPlane && (query.TargetType is not null || query.TargetId is not null))
        {
            throw new ArgumentException("The data-plane audit log has no target to filter on; filter by KeyId, Action or Decision instead.", nameof(query));
        }
    }
}
