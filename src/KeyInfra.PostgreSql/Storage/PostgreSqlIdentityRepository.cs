using KeyInfra.EntityFrameworkCore;
using KeyInfra.EntityFrameworkCore.Storage;
using KeyInfra.Identity;
using KeyInfra.PostgreSql.Tenancy;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>
/// The PostgreSQL <see cref="IIdentityRepository"/>: the shared EF Core repository with every call run under the tenant
/// it is given (so row-level security on the identity tables filters for that tenant), reads retried on transient
/// failures, and names PostgreSQL cannot store (a NUL character) found nowhere rather than sent.
/// </summary>
/// <remarks>Writes are not retried: an insert whose connection dropped may have committed, and the engine's callers say what to do.</remarks>
internal sealed class PostgreSqlIdentityRepository : IIdentityRepository
{
    private readonly IDbContextFactory<KeyInfraDbContext> _contextFactory;
    private readonly EfIdentityRepository _inner;
    private readonly TransientRetry _retry;

    public PostgreSqlIdentityRepository(IDbContextFactory<KeyInfraDbContext> contextFactory, PostgreSqlStorage storage, ILogger<PostgreSqlIdentityRepository> logger)
    {
        _contextFactory = contextFactory;
        _inner = new EfIdentityRepository(contextFactory);
        _retry = new TransientRetry(storage.Options, logger);
    }

    public async Task AddUserAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var scope = TenantScope.Enter(user.TenantId);
        await _inner.AddUserAsync(user, cancellationToken).ConfigureAwait(false);
    }

    public Task<UserRecord?> GetUserAsync(Guid tenantId, Guid userId, CancellationToken cancellationToken = default)
        => ReadAsync(tenantId, () => _inner.GetUserAsync(tenantId, userId, cancellationToken), cancellationToken);

    public Task<UserRecord?> FindUserAsync(Guid tenantId, string username, CancellationToken cancellationToken = default)
        => PostgreSqlText.IsStorable(username)
            ? ReadAsync(tenantId, () => _inner.FindUserAsync(tenantId, username, cancellationToken), cancellationToken)
            : Task.FromResult<UserRecord?>(null);

    public Task<IReadOnlyList<UserRecord>> ListUsersAsync(Guid tenantId, Guid? after, int limit, CancellationToken cancellationToken = default)
        => ReadAsync(tenantId, () => _inner.ListUsersAsync(tenantId, after, limit, cancellationToken), cancellationToken);

    // Curves are the deployment's, not a tenant's: no row-level security on them, so no tenant to set.
    public Task<IReadOnlyList<CurveRecord>> ListCurvesAsync(CancellationToken cancellationToken = default)
        => _retry.ExecuteAsync(() => _inner.ListCurvesAsync(cancellationToken), cancellationToken);

    public Task<bool> UpdateCurveAsync(CurveRecord curve, long expectedVersion, CancellationToken cancellationToken = default)
        => _inner.UpdateCurveAsync(curve, expectedVersion, cancellationToken);

    public async Task<bool> UpdateUserAsync(UserRecord user, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var scope = TenantScope.Enter(user.TenantId);
        return await _inner.UpdateUserAsync(user, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    public async Task RecordLoginAsync(Guid tenantId, Guid userId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        await _inner.RecordLoginAsync(tenantId, userId, at, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> AddRoleAsync(RoleRecord role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        using var scope = TenantScope.Enter(role.TenantId);
        return await _inner.AddRoleAsync(role, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<RoleRecord>> ListRolesAsync(Guid tenantId, CancellationToken cancellationToken = default)
        => ReadAsync(tenantId, () => _inner.ListRolesAsync(tenantId, cancellationToken), cancellationToken);

    public async Task<bool> AddRoleGrantAsync(RoleGrantRecord grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        using var scope = TenantScope.Enter(grant.TenantId);
        return await _inner.AddRoleGrantAsync(grant, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RemoveRoleGrantAsync(Guid tenantId, string role, string permission, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _inner.RemoveRoleGrantAsync(tenantId, role, permission, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<RoleGrantRecord>> ListRoleGrantsAsync(Guid tenantId, CancellationToken cancellationToken = default)
        => ReadAsync(tenantId, () => _inner.ListRoleGrantsAsync(tenantId, cancellationToken), cancellationToken);

    public async Task<bool> AddRoleAssignmentAsync(RoleAssignmentRecord assignment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        using var scope = TenantScope.Enter(assignment.TenantId);
        return await _inner.AddRoleAssignmentAsync(assignment, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RemoveRoleAssignmentAsync(Guid tenantId, PrincipalKind kind, Guid principalId, string role, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _inner.RemoveRoleAssignmentAsync(tenantId, kind, principalId, role, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<RoleAssignmentRecord>> ListRoleAssignmentsAsync(Guid tenantId, PrincipalKind kind, Guid principalId, CancellationToken cancellationToken = default)
        => ReadAsync(tenantId, () => _inner.ListRoleAssignmentsAsync(tenantId, kind, principalId, cancellationToken), cancellationToken);

    public async Task AddApplicationAsync(ApplicationRecord application, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        using var scope = TenantScope.Enter(application.TenantId);
        await _inner.AddApplicationAsync(application, cancellationToken).ConfigureAwait(false);
    }

    public Task<ApplicationRecord?> GetApplicationAsync(Guid tenantId, Guid applicationId, CancellationToken cancellationToken = default)
        => ReadAsync(tenantId, () => _inner.GetApplicationAsync(tenantId, applicationId, cancellationToken), cancellationToken);

    public Task<ApplicationRecord?> FindApplicationAsync(Guid tenantId, string name, CancellationToken cancellationToken = default)
        => PostgreSqlText.IsStorable(name)
            ? ReadAsync(tenantId, () => _inner.FindApplicationAsync(tenantId, name, cancellationToken), cancellationToken)
            : Task.FromResult<ApplicationRecord?>(null);

    public Task<IReadOnlyList<ApplicationRecord>> ListApplicationsAsync(Guid tenantId, Guid? after, int limit, CancellationToken cancellationToken = default)
        => ReadAsync(tenantId, () => _inner.ListApplicationsAsync(tenantId, after, limit, cancellationToken), cancellationToken);

    public async Task<bool> UpdateApplicationAsync(ApplicationRecord application, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        using var scope = TenantScope.Enter(application.TenantId);
        return await _inner.UpdateApplicationAsync(application, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    public async Task AddCredentialAsync(ApplicationCredentialRecord credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        using var scope = TenantScope.Enter(credential.TenantId);
        await _inner.AddCredentialAsync(credential, cancellationToken).ConfigureAwait(false);
    }

    public Task<ApplicationCredentialRecord?> FindCredentialAsync(Guid tenantId, string clientId, CancellationToken cancellationToken = default)
        => PostgreSqlText.IsStorable(clientId)
            ? ReadAsync(tenantId, () => _inner.FindCredentialAsync(tenantId, clientId, cancellationToken), cancellationToken)
            : Task.FromResult<ApplicationCredentialRecord?>(null);

    public Task<IReadOnlyList<ApplicationCredentialRecord>> ListCredentialsAsync(Guid tenantId, Guid applicationId, CancellationToken cancellationToken = default)
        => ReadAsync(tenantId, () => _inner.ListCredentialsAsync(tenantId, applicationId, cancellationToken), cancellationToken);

    public async Task<bool> UpdateCredentialAsync(ApplicationCredentialRecord credential, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        using var scope = TenantScope.Enter(credential.TenantId);
        return await _inner.UpdateCredentialAsync(credential, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    public async Task RecordCredentialUseAsync(Guid tenantId, Guid credentialId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        await _inner.RecordCredentialUseAsync(tenantId, credentialId, at, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Guid>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        // Row-level security hides other tenants: a function that reveals only which tenants have rows sees them all.
        return await _retry.ExecuteAsync(
            async () =>
            {
                await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                var tenants = await context.Database.SqlQuery<Guid>($"SELECT tenant_id AS \"Value\" FROM keyinfra_identity_tenants()").ToListAsync(cancellationToken).ConfigureAwait(false);
                tenants.Sort();
                return (IReadOnlyList<Guid>)tenants;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpdateRoleGrantMacAsync(RoleGrantRecord grant, byte[] expectedMac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        using var scope = TenantScope.Enter(grant.TenantId);
        return await _inner.UpdateRoleGrantMacAsync(grant, expectedMac, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpdateRoleAssignmentMacAsync(RoleAssignmentRecord assignment, byte[] expectedMac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        using var scope = TenantScope.Enter(assignment.TenantId);
        return await _inner.UpdateRoleAssignmentMacAsync(assignment, expectedMac, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ReadAsync<T>(Guid tenantId, Func<Task<T>> read, CancellationToken cancellationToken)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(read, cancellationToken).ConfigureAwait(false);
    }
}
