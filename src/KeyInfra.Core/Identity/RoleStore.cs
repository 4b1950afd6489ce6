using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Identity;

/// <summary>The engine's <see cref="IRoleStore"/>: code's, configuration's and the tenant's roles merged; grants sealed.</summary>
internal sealed class RoleStore(
    IdentityRows rows,
    AccessControlCache cache,
    ITenantContext tenant,
    AccessGuard access,
    AuditRecorder audit,
    TimeProvider time,
    ILogger<RoleStore> logger) : IRoleStore
{
    public async Task<RoleInfo> CreateAsync(string name, string? description = null, CancellationToken cancellationToken = default)
    {
        IdentityText.Role(name, nameof(name));
        IdentityText.Description(description, nameof(description));
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (rows.Configured.Contains(name)
            || !await rows.Repository.AddRoleAsync(new RoleRecord(tenantId, name, description, BuiltIn: false, Now()), cancellationToken).ConfigureAwait(false))
        {
            throw new KeyInfraException(ErrorCodes.IdentityNameTaken, $"A role named '{name}' exists in this tenant (built in, configured or added); choose another name.");
        }

        cache.Invalidate(tenantId);
        Log.RoleChanged(logger, name, tenantId, "added");
        var created = await ReadAsync(tenantId, name, cancellationToken).ConfigureAwait(false);
        await audit.ChangeAsync(AuditStates.Role(AuditActions.RoleCreate, null, created), cancellationToken).ConfigureAwait(false);
        return created;
    }

    public async Task<IReadOnlyList<RoleInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var stored = await rows.Repository.ListRolesAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var grants = await rows.GrantsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var names = new SortedSet<string>(rows.Configured.Roles, StringComparer.Ordinal);
        names.UnionWith(stored.Select(r => r.Name));
        return [.. names.Select(name => Describe(name, stored, grants))];
    }

    public Task<RoleInfo> GrantAsync(string role, string permission, CancellationToken cancellationToken = default)
        => ChangeAsync(role, permission, grant: true, cancellationToken);

    public Task<RoleInfo> RevokeAsync(string role, string permission, CancellationToken cancellationToken = default)
        => ChangeAsync(role, permission, grant: false, cancellationToken);

    private async Task<RoleInfo> ChangeAsync(string role, string permission, bool grant, CancellationToken cancellationToken)
    {
        IdentityText.Role(role, nameof(role));
        ArgumentNullException.ThrowIfNull(permission);
        if (!KeyInfraPermissions.IsKnown(permission))
        {
            throw new ArgumentException($"'{CallerText.Printable(permission)}' is not a permission; the permissions are {string.Join(", ", KeyInfraPermissions.All)}.", nameof(permission));
        }

        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var before = await ReadAsync(tenantId, role, cancellationToken).ConfigureAwait(false);
        var now = Now();
        await rows.EnsureRoleRowAsync(tenantId, role, now, cancellationToken).ConfigureAwait(false);
        if (grant)
        {
            var record = await rows.SealAsync(new RoleGrantRecord { TenantId = tenantId, Role = role, Permission = permission, CreatedAt = now }, cancellationToken).ConfigureAwait(false);
            await rows.Repository.AddRoleGrantAsync(record, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await rows.Repository.RemoveRoleGrantAsync(tenantId, role, permission, cancellationToken).ConfigureAwait(false);
        }

        cache.Invalidate(tenantId);
        Log.RoleChanged(logger, role, tenantId, grant ? $"grants '{permission}'" : $"no longer grants '{permission}' (from the database)");
        var after = await ReadAsync(tenantId, role, cancellationToken).ConfigureAwait(false);
        await audit.ChangeAsync(AuditStates.Role(grant ? AuditActions.RoleGrant : AuditActions.RoleRevoke, before, after), cancellationToken).ConfigureAwait(false);
        return after;
    }

    private async Task<RoleInfo> ReadAsync(Guid tenantId, string name, CancellationToken cancellationToken)
    {
        var stored = await rows.Repository.ListRolesAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var grants = await rows.GrantsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return Describe(name, stored, grants);
    }

    private RoleInfo Describe(string name, IReadOnlyList<RoleRecord> stored, Dictionary<string, SortedSet<string>> grants)
    {
        var row = stored.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));
        var fromRows = grants.TryGetValue(name, out var set) ? set : [];
        var all = new HashSet<string>(rows.Configured.Of(name), StringComparer.Ordinal);
        all.UnionWith(fromRows);
        return new RoleInfo(
            name,
            row?.Description,
            KeyInfraRoles.BuiltIn.ContainsKey(name),
            [.. KeyInfraPermissions.All.Where(all.Contains)],
            [.. KeyInfraPermissions.All.Where(fromRows.Contains)]);
    }

    // Cut to the microsecond, as storage keeps times: a row sealed before it is written is the row read back.
    private DateTimeOffset Now() => StoredTime.Truncate(time.GetUtcNow());

    private ValueTask DemandAsync(Guid tenantId, CancellationToken cancellationToken)
        => access.DemandAsync(KeyInfraOperation.ManageUsers, tenantId, null, null, null, cancellationToken);
}
