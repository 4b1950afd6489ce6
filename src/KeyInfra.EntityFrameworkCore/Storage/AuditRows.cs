using KeyInfra.Audit;
using KeyInfra.EntityFrameworkCore.Entities;
using KeyInfra.Errors;
using KeyInfra.Verification.Chain;
using Microsoft.EntityFrameworkCore;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// The audit tables for the log repository: records to rows and back, the stored rows for <c>log verify</c>, and the
/// filtered, keyset-paged queries (newest first, by time then id).
/// </summary>
internal static class AuditRows
{
    public static ControlPlaneAuditEntity ToEntity(ControlPlaneAuditRecord record) => new()
    {
        Id = record.Id,
        TenantId = record.TenantId,
        OccurredAt = record.OccurredAt,
        ActorType = AuditValues.ToText(record.ActorKind),
        ActorId = record.ActorId,
        ActorIp = record.ActorAddress,
        RequestId = record.RequestId,
        Action = record.Action,
        TargetType = record.TargetType,
        TargetId = record.TargetId,
        Before = record.Before,
        After = record.After,
    };

    public static DataPlaneAuditEntity ToEntity(DataPlaneAuditRecord record) => new()
    {
        Id = record.Id,
        TenantId = record.TenantId,
        OccurredAt = record.OccurredAt,
        ActorType = AuditValues.ToText(record.ActorKind),
        ActorId = record.ActorId,
        ActorIp = record.ActorAddress,
        RequestId = record.RequestId,
        Action = record.Action,
        Decision = AuditValues.ToText(record.Decision),
        Reason = record.Reason,
        KeyId = record.KeyId,
    };

    public static StoredLogEntry ToStored(ControlPlaneAuditEntity e) => new()
    {
        Kind = LogEntryKind.ControlPlaneAudit,
        Id = e.Id,
        TenantId = e.TenantId,
        Time = e.OccurredAt,
        ActorType = e.ActorType,
        ActorId = e.ActorId,
        ActorAddress = e.ActorIp,
        RequestId = e.RequestId,
        Action = e.Action,
        TargetType = e.TargetType,
        TargetId = e.TargetId,
        Before = e.Before,
        After = e.After,
    };

    public static StoredLogEntry ToStored(DataPlaneAuditEntity e) => new()
    {
        Kind = LogEntryKind.DataPlaneAudit,
        Id = e.Id,
        TenantId = e.TenantId,
        Time = e.OccurredAt,
        ActorType = e.ActorType,
        ActorId = e.ActorId,
        ActorAddress = e.ActorIp,
        RequestId = e.RequestId,
        Action = e.Action,
        Decision = e.Decision,
        Reason = e.Reason,
        KeyId = e.KeyId,
    };

    /// <summary>The audit rows of a tenant that occurred in [since, until), as stored.</summary>
    public static async Task<List<StoredLogEntry>> ReadAsync(KeyInfraDbContext context, Guid tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var control = await context.ControlPlaneAudit.AsNoTracking()
            .Where(a => a.TenantId == tenantId && a.OccurredAt >= since && a.OccurredAt < until)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var data = await context.DataPlaneAudit.AsNoTracking()
            .Where(a => a.TenantId == tenantId && a.OccurredAt >= since && a.OccurredAt < until)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. control.Select(ToStored), .. data.Select(ToStored)];
    }

    /// <summary>The audit rows of a tenant with these ids, as stored.</summary>
    public static async Task<List<StoredLogEntry>> ReadAsync(KeyInfraDbContext context, Guid tenantId, List<Guid> ids, CancellationToken cancellationToken)
    {
        var control = await context.ControlPlaneAudit.AsNoTracking()
            .Where(a => a.TenantId == tenantId && ids.Contains(a.Id))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var data = await context.DataPlaneAudit.AsNoTracking()
            .Where(a => a.TenantId == tenantId && ids.Contains(a.Id))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. control.Select(ToStored), .. data.Select(ToStored)];
    }

    public static async Task<IReadOnlyList<ControlPlaneAuditRecord>> QueryControlPlaneAsync(KeyInfraDbContext context, Guid tenantId, AuditQuery query, CancellationToken cancellationToken)
    {
        Check(query);
        var rows = context.ControlPlaneAudit.AsNoTracking();
        if (query.TargetType is { } targetType)
        {
            rows = rows.Where(a => a.TargetType == targetType);
        }

        if (query.TargetId is { } targetId)
        {
            rows = rows.Where(a => a.TargetId == targetId);
        }

        return (await PageAsync(context.ControlPlaneAudit, rows, tenantId, query, cancellationToken).ConfigureAwait(false)).ConvertAll(ToRecord);
    }

    public static async Task<IReadOnlyList<DataPlaneAuditRecord>> QueryDataPlaneAsync(KeyInfraDbContext context, Guid tenantId, AuditQuery query, CancellationToken cancellationToken)
    {
        Check(query);
        var rows = context.DataPlaneAudit.AsNoTracking();
        if (query.KeyId is { } keyId)
        {
            rows = rows.Where(a => a.KeyId == keyId);
        }

        if (query.Decision is { } decision)
        {
            var text = AuditValues.ToText(decision);
            rows = rows.Where(a => a.Decision == text);
        }

        return (await PageAsync(context.DataPlaneAudit, rows, tenantId, query, cancellationToken).ConfigureAwait(false)).ConvertAll(ToRecord);
    }

    // The filters both tables share, then one page newest first (by time, then id) after the cursor's row.
    private static async Task<List<T>> PageAsync<T>(IQueryable<T> table, IQueryable<T> rows, Guid tenantId, AuditQuery query, CancellationToken cancellationToken)
        where T : class, IAuditRow
    {
        rows = rows.Where(a => a.TenantId == tenantId);
        if (query.From is { } from)
        {
            rows = rows.Where(a => a.OccurredAt >= from);
        }

        if (query.To is { } to)
        {
            rows = rows.Where(a => a.OccurredAt < to);
        }

        if (query.Action is { } action)
        {
            rows = rows.Where(a => a.Action == action);
        }

        if (query.ActorId is { } actorId)
        {
            rows = rows.Where(a => a.ActorId == actorId);
        }

        if (query.Before is { } before)
        {
            var cursor = await table.Where(a => a.TenantId == tenantId && a.Id == before)
                .Select(a => (DateTimeOffset?)a.OccurredAt).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
                ?? throw NoCursor(before, nameof(query));
            rows = rows.Where(a => a.OccurredAt < cursor || (a.OccurredAt == cursor && a.Id.CompareTo(before) < 0));
        }

        return await rows.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).Take(query.PageSize + 1)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Check(AuditQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.PageSize, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, AuditQuery.MaxPageSize, nameof(query));
    }

    private static ArgumentException NoCursor(Guid before, string paramName)
        => new($"The page cursor {before} does not name a record in this tenant's audit log. Start again without a cursor.", paramName);

    private static ControlPlaneAuditRecord ToRecord(ControlPlaneAuditEntity e) => new()
    {
        Id = e.Id,
        TenantId = e.TenantId,
        OccurredAt = e.OccurredAt,
        ActorKind = AuditValues.TryParse(e.ActorType, out AuditActorKind kind) ? kind : throw Invalid("control-plane", e.Id, "actor_type"),
        ActorId = e.ActorId,
        ActorAddress = e.ActorIp,
        RequestId = e.RequestId,
        Action = e.Action,
        TargetType = e.TargetType,
        TargetId = e.TargetId,
        Before = e.Before,
        After = e.After,
    };

    private static DataPlaneAuditRecord ToRecord(DataPlaneAuditEntity e) => new()
    {
        Id = e.Id,
        TenantId = e.TenantId,
        OccurredAt = e.OccurredAt,
        ActorKind = AuditValues.TryParse(e.ActorType, out AuditActorKind kind) ? kind : throw Invalid("data-plane", e.Id, "actor_type"),
        ActorId = e.ActorId,
        ActorAddress = e.ActorIp,
        RequestId = e.RequestId,
        Action = e.Action,
        Decision = AuditValues.TryParse(e.Decision, out AuditDecision decision) ? decision : throw Invalid("data-plane", e.Id, "decision"),
        Reason = e.Reason,
        KeyId = e.KeyId,
    };

    private static KeyInfraException Invalid(string plane, Guid id, string column)
        => new(ErrorCodes.StoredDataInvalid, $"The stored {plane} audit record {id} has an invalid {column}; the row was changed outside KeyInfra (log verify reports it). Restore it from a backup.");
}
