using KeyInfra.EntityFrameworkCore.Entities;
using KeyInfra.Errors;
using KeyInfra.Identity;
using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// The EF Core <see cref="IIdentityRepository"/>: a context per call, no tracking on reads, compare-and-set updates on
/// the row version, and clashes with unique names turned into <see cref="ErrorCodes.IdentityNameTaken"/>. Registered by
/// <c>UseEntityFrameworkCore</c>; a provider package may wrap it (PostgreSQL adds retries and row-level security).
/// </summary>
/// <remarks>Thread-safe: every call creates its own context from the factory.</remarks>
/// <param name="contextFactory">The factory of KeyInfra contexts.</param>
public sealed class EfIdentityRepository(IDbContextFactory<KeyInfraDbContext> contextFactory) : IIdentityRepository
{
    private const int MaxLimit = 1001;

    /// <inheritdoc />
    public async Task AddUserAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        context.Users.Add(ToEntity(user));
        await context.SaveChangesOrClashAsync(async () => await UserClashAsync(user, CancellationToken.None).ConfigureAwait(false) is { } what ? Taken(what) : null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<UserRecord?> GetUserAsync(Guid tenantId, Guid userId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var user = await context.Users.AsNoTracking().FirstOrDefaultAsync(u => u.TenantId == tenantId && u.Id == userId, cancellationToken).ConfigureAwait(false);
        return user is null ? null : ToRecord(user);
    }

    /// <inheritdoc />
    public async Task<UserRecord?> FindUserAsync(Guid tenantId, string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var user = await context.Users.AsNoTracking().FirstOrDefaultAsync(u => u.TenantId == tenantId && u.Username == username, cancellationToken).ConfigureAwait(false);
        return user is null ? null : ToRecord(user);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UserRecord>> ListUsersAsync(Guid tenantId, Guid? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = context.Users.AsNoTracking().Where(u => u.TenantId == tenantId);
        if (after is { } last)
        {
            query = query.Where(u => u.Id.CompareTo(last) > 0);
        }

        var users = await query.OrderBy(u => u.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return users.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CurveRecord>> ListCurvesAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await context.Curves.AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken).ConfigureAwait(false);

        // A status text KeyInfra never writes reads as no status at all, which the curve policy treats as disabled.
        return rows.ConvertAll(c => new CurveRecord
        {
            Curve = c.Id,
            Status = c.Status switch { "enabled" => CurveStatus.Enabled, "disabled" => CurveStatus.Disabled, _ => 0 },
            Version = c.Version,
            RowMac = c.RowMac,
            RowMacMasterKeyId = c.RowMacMasterKeyId,
        });
    }

    /// <inheritdoc />
    public async Task<bool> UpdateCurveAsync(CurveRecord curve, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var status = curve.Status == CurveStatus.Disabled ? "disabled" : "enabled";
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.Curves
            .Where(c => c.Id == curve.Curve && c.Version == expectedVersion)
            .ExecuteUpdateAsync(
                s => s.SetProperty(c => c.Status, status)
                    .SetProperty(c => c.Version, curve.Version)
                    .SetProperty(c => c.RowMac, curve.RowMac)
                    .SetProperty(c => c.RowMacMasterKeyId, curve.RowMacMasterKeyId),
                cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateUserAsync(UserRecord user, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var status = (short)user.Status;
        var expected = CommandFailureInterceptor.ExpectFailure();
        try
        {
            return await context.Users
                .Where(u => u.TenantId == user.TenantId && u.Id == user.Id && u.Version == expectedVersion)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(u => u.Email, user.Email)
                        .SetProperty(u => u.PasswordHash, user.PasswordHash)
                        .SetProperty(u => u.Status, status)
                        .SetProperty(u => u.ApplicationId, user.ApplicationId)
                        .SetProperty(u => u.UpdatedAt, user.UpdatedAt)
                        .SetProperty(u => u.Version, user.Version)
                        .SetProperty(u => u.RowMac, user.RowMac)
                        .SetProperty(u => u.RowMacMasterKeyId, user.RowMacMasterKeyId),
                    cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException)
        {
            expected.Dispose();
            if (user.Email is { } email && await EmailTakenAsync(user.TenantId, email, user.Id, CancellationToken.None).ConfigureAwait(false))
            {
                throw Taken($"The e-mail address '{email}' is taken by another user of this tenant");
            }

            expected.NotHandled();
            throw;
        }
        finally
        {
            expected.Dispose();
        }
    }

    /// <inheritdoc />
    public async Task RecordLoginAsync(Guid tenantId, Guid userId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await context.Users.Where(u => u.TenantId == tenantId && u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastLoginAt, at), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> AddRoleAsync(RoleRecord role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await context.Roles.AnyAsync(r => r.TenantId == role.TenantId && r.Name == role.Name, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        context.Roles.Add(new RoleEntity { TenantId = role.TenantId, Name = role.Name, Description = role.Description, BuiltIn = role.BuiltIn, CreatedAt = role.CreatedAt });
        return await SaveOrExistsAsync(context, () => context.Roles.AnyAsync(r => r.TenantId == role.TenantId && r.Name == role.Name, CancellationToken.None), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RoleRecord>> ListRolesAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var roles = await context.Roles.AsNoTracking().Where(r => r.TenantId == tenantId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. roles.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => new RoleRecord(r.TenantId, r.Name, r.Description, r.BuiltIn, r.CreatedAt))];
    }

    /// <inheritdoc />
    public async Task<bool> AddRoleGrantAsync(RoleGrantRecord grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        Task<bool> Exists(CancellationToken token) => context.RolePermissions.AnyAsync(g => g.TenantId == grant.TenantId && g.Role == grant.Role && g.Permission == grant.Permission, token);
        if (await Exists(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        context.RolePermissions.Add(new RolePermissionEntity
        {
            TenantId = grant.TenantId,
            Role = grant.Role,
            Permission = grant.Permission,
            CreatedAt = grant.CreatedAt,
            RowMac = grant.RowMac,
            RowMacMasterKeyId = grant.RowMacMasterKeyId,
        });
        return await SaveOrExistsAsync(context, () => Exists(CancellationToken.None), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveRoleGrantAsync(Guid tenantId, string role, string permission, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.RolePermissions.Where(g => g.TenantId == tenantId && g.Role == role && g.Permission == permission)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RoleGrantRecord>> ListRoleGrantsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var grants = await context.RolePermissions.AsNoTracking().Where(g => g.TenantId == tenantId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return
        [
            .. grants.OrderBy(g => g.Role, StringComparer.Ordinal).ThenBy(g => g.Permission, StringComparer.Ordinal).Select(g => new RoleGrantRecord
            {
                TenantId = g.TenantId,
                Role = g.Role,
                Permission = g.Permission,
                CreatedAt = g.CreatedAt,
                RowMac = g.RowMac,
                RowMacMasterKeyId = g.RowMacMasterKeyId,
            }),
        ];
    }

    /// <inheritdoc />
    public async Task<bool> AddRoleAssignmentAsync(RoleAssignmentRecord assignment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        Task<bool> Exists(CancellationToken token) => assignment.Kind == PrincipalKind.User
            ? context.UserRoles.AnyAsync(r => r.TenantId == assignment.TenantId && r.UserId == assignment.PrincipalId && r.Role == assignment.Role, token)
            : context.ApplicationRoles.AnyAsync(r => r.TenantId == assignment.TenantId && r.ApplicationId == assignment.PrincipalId && r.Role == assignment.Role, token);
        if (await Exists(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (assignment.Kind == PrincipalKind.User)
        {
            context.UserRoles.Add(new UserRoleEntity
            {
                TenantId = assignment.TenantId,
                UserId = assignment.PrincipalId,
                Role = assignment.Role,
                CreatedAt = assignment.CreatedAt,
                RowMac = assignment.RowMac,
                RowMacMasterKeyId = assignment.RowMacMasterKeyId,
            });
        }
        else
        {
            context.ApplicationRoles.Add(new ApplicationRoleEntity
            {
                TenantId = assignment.TenantId,
                ApplicationId = assignment.PrincipalId,
                Role = assignment.Role,
                CreatedAt = assignment.CreatedAt,
                RowMac = assignment.RowMac,
                RowMacMasterKeyId = assignment.RowMacMasterKeyId,
            });
        }

        return await SaveOrExistsAsync(context, () => Exists(CancellationToken.None), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveRoleAssignmentAsync(Guid tenantId, PrincipalKind kind, Guid principalId, string role, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var removed = kind == PrincipalKind.User
            ? await context.UserRoles.Where(r => r.TenantId == tenantId && r.UserId == principalId && r.Role == role).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false)
            : await context.ApplicationRoles.Where(r => r.TenantId == tenantId && r.ApplicationId == principalId && r.Role == role).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return removed > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RoleAssignmentRecord>> ListRoleAssignmentsAsync(Guid tenantId, PrincipalKind kind, Guid principalId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = kind == PrincipalKind.User
            ? await context.UserRoles.AsNoTracking().Where(r => r.TenantId == tenantId && r.UserId == principalId)
                .Select(r => new { r.TenantId, PrincipalId = r.UserId, r.Role, r.CreatedAt, r.RowMac, r.RowMacMasterKeyId }).ToListAsync(cancellationToken).ConfigureAwait(false)
            : await context.ApplicationRoles.AsNoTracking().Where(r => r.TenantId == tenantId && r.ApplicationId == principalId)
                .Select(r => new { r.TenantId, PrincipalId = r.ApplicationId, r.Role, r.CreatedAt, r.RowMac, r.RowMacMasterKeyId }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return
        [
            .. rows.OrderBy(r => r.Role, StringComparer.Ordinal).Select(r => new RoleAssignmentRecord
            {
                TenantId = r.TenantId,
                Kind = kind,
                PrincipalId = r.PrincipalId,
                Role = r.Role,
                CreatedAt = r.CreatedAt,
                RowMac = r.RowMac,
                RowMacMasterKeyId = r.RowMacMasterKeyId,
            }),
        ];
    }

    /// <inheritdoc />
    public async Task AddApplicationAsync(ApplicationRecord application, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        context.Applications.Add(ToEntity(application));
        await context.SaveChangesOrClashAsync(
            async () => await FindApplicationAsync(application.TenantId, application.Name, CancellationToken.None).ConfigureAwait(false) is { } existing && existing.Id != application.Id
                ? Taken($"An application named '{application.Name}' exists in this tenant")
                : null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ApplicationRecord?> GetApplicationAsync(Guid tenantId, Guid applicationId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var application = await context.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId && a.Id == applicationId, cancellationToken).ConfigureAwait(false);
        return application is null ? null : ToRecord(application);
    }

    /// <inheritdoc />
    public async Task<ApplicationRecord?> FindApplicationAsync(Guid tenantId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var application = await context.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId && a.Name == name, cancellationToken).ConfigureAwait(false);
        return application is null ? null : ToRecord(application);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApplicationRecord>> ListApplicationsAsync(Guid tenantId, Guid? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = context.Applications.AsNoTracking().Where(a => a.TenantId == tenantId);
        if (after is { } last)
        {
            query = query.Where(a => a.Id.CompareTo(last) > 0);
        }

        var applications = await query.OrderBy(a => a.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return applications.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async Task<bool> UpdateApplicationAsync(ApplicationRecord application, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var status = (short)application.Status;
        return await context.Applications
            .Where(a => a.TenantId == application.TenantId && a.Id == application.Id && a.Version == expectedVersion)
            .ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Description, application.Description)
                    .SetProperty(a => a.HsmSlotId, application.HsmSlotId)
                    .SetProperty(a => a.Status, status)
                    .SetProperty(a => a.UpdatedAt, application.UpdatedAt)
                    .SetProperty(a => a.Version, application.Version)
                    .SetProperty(a => a.RowMac, application.RowMac)
                    .SetProperty(a => a.RowMacMasterKeyId, application.RowMacMasterKeyId),
                cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task AddCredentialAsync(ApplicationCredentialRecord credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        context.ApplicationCredentials.Add(ToEntity(credential));
        await context.SaveChangesOrClashAsync(
            async () => await FindCredentialAsync(credential.TenantId, credential.ClientId, CancellationToken.None).ConfigureAwait(false) is { } existing && existing.Id != credential.Id
                ? Taken($"The client id '{credential.ClientId}' is taken in this tenant")
                : null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ApplicationCredentialRecord?> FindCredentialAsync(Guid tenantId, string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var credential = await context.ApplicationCredentials.AsNoTracking().FirstOrDefaultAsync(c => c.TenantId == tenantId && c.ClientId == clientId, cancellationToken).ConfigureAwait(false);
        return credential is null ? null : ToRecord(credential);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApplicationCredentialRecord>> ListCredentialsAsync(Guid tenantId, Guid applicationId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var credentials = await context.ApplicationCredentials.AsNoTracking().Where(c => c.TenantId == tenantId && c.ApplicationId == applicationId)
            .OrderBy(c => c.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return credentials.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async Task<bool> UpdateCredentialAsync(ApplicationCredentialRecord credential, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.ApplicationCredentials
            .Where(c => c.TenantId == credential.TenantId && c.Id == credential.Id && c.Version == expectedVersion)
            .ExecuteUpdateAsync(
                s => s.SetProperty(c => c.SecretHash, credential.SecretHash)
                    .SetProperty(c => c.ExpiresAt, credential.ExpiresAt)
                    .SetProperty(c => c.RevokedAt, credential.RevokedAt)
                    .SetProperty(c => c.Version, credential.Version)
                    .SetProperty(c => c.RowMac, credential.RowMac)
                    .SetProperty(c => c.RowMacMasterKeyId, credential.RowMacMasterKeyId),
                cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task RecordCredentialUseAsync(Guid tenantId, Guid credentialId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await context.ApplicationCredentials.Where(c => c.TenantId == tenantId && c.Id == credentialId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastUsedAt, at), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Guid>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var tenants = await context.Users.Select(u => u.TenantId)
            .Union(context.Applications.Select(a => a.TenantId))
            .Union(context.RolePermissions.Select(g => g.TenantId))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        tenants.Sort();
        return tenants;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateRoleGrantMacAsync(RoleGrantRecord grant, byte[] expectedMac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(expectedMac);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.RolePermissions
            .Where(g => g.TenantId == grant.TenantId && g.Role == grant.Role && g.Permission == grant.Permission && g.RowMac == expectedMac)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.RowMac, grant.RowMac).SetProperty(g => g.RowMacMasterKeyId, grant.RowMacMasterKeyId), cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateRoleAssignmentMacAsync(RoleAssignmentRecord assignment, byte[] expectedMac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(expectedMac);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var updated = assignment.Kind == PrincipalKind.User
            ? await context.UserRoles
                .Where(r => r.TenantId == assignment.TenantId && r.UserId == assignment.PrincipalId && r.Role == assignment.Role && r.RowMac == expectedMac)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.RowMac, assignment.RowMac).SetProperty(r => r.RowMacMasterKeyId, assignment.RowMacMasterKeyId), cancellationToken)
                .ConfigureAwait(false)
            : await context.ApplicationRoles
                .Where(r => r.TenantId == assignment.TenantId && r.ApplicationId == assignment.PrincipalId && r.Role == assignment.Role && r.RowMac == expectedMac)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.RowMac, assignment.RowMac).SetProperty(r => r.RowMacMasterKeyId, assignment.RowMacMasterKeyId), cancellationToken)
                .ConfigureAwait(false);
        return updated == 1;
    }

    private async Task<string?> UserClashAsync(UserRecord user, CancellationToken cancellationToken)
    {
        if (await FindUserAsync(user.TenantId, user.Username, cancellationToken).ConfigureAwait(false) is { } existing && existing.Id != user.Id)
        {
            return $"The user name '{user.Username}' is taken in this tenant";
        }

        return user.Email is { } email && await EmailTakenAsync(user.TenantId, email, user.Id, cancellationToken).ConfigureAwait(false)
            ? $"The e-mail address '{email}' is taken by another user of this tenant"
            : null;
    }

    private async Task<bool> EmailTakenAsync(Guid tenantId, string email, Guid userId, CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.Users.AnyAsync(u => u.TenantId == tenantId && u.Email == email && u.Id != userId, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> SaveOrExistsAsync(KeyInfraDbContext context, Func<Task<bool>> exists, CancellationToken cancellationToken)
    {
        var expected = CommandFailureInterceptor.ExpectFailure();
        try
        {
            await context.SaveChangesOrStorageErrorAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException)
        {
            expected.Dispose();

            // Another writer added the same row first: as good as this one.
            if (await exists().ConfigureAwait(false))
            {
                return false;
            }

            expected.NotHandled();
            throw;
        }
        finally
        {
            expected.Dispose();
        }
    }

    private static KeyInfraException Taken(string what) => new(ErrorCodes.IdentityNameTaken, $"{what}; nothing was added or changed. Choose another.");

    private static UserEntity ToEntity(UserRecord user) => new()
    {
        Id = user.Id,
        TenantId = user.TenantId,
        Username = user.Username,
        Email = user.Email,
        PasswordHash = user.PasswordHash,
        Status = (short)user.Status,
        ApplicationId = user.ApplicationId,
        CreatedAt = user.CreatedAt,
        UpdatedAt = user.UpdatedAt,
        LastLoginAt = user.LastLoginAt,
        Version = user.Version,
        RowMac = user.RowMac,
        RowMacMasterKeyId = user.RowMacMasterKeyId,
    };

    private static UserRecord ToRecord(UserEntity user) => new()
    {
        Id = user.Id,
        TenantId = user.TenantId,
        Username = user.Username,
        Email = user.Email,
        PasswordHash = user.PasswordHash,
        Status = Enum.IsDefined((UserStatus)user.Status) ? (UserStatus)user.Status : throw Invalid("user", user.Id, "status"),
        ApplicationId = user.ApplicationId,
        CreatedAt = user.CreatedAt,
        UpdatedAt = user.UpdatedAt,
        LastLoginAt = user.LastLoginAt,
        Version = user.Version,
        RowMac = user.RowMac,
        RowMacMasterKeyId = user.RowMacMasterKeyId,
    };

    private static ApplicationEntity ToEntity(ApplicationRecord application) => new()
    {
        Id = application.Id,
        TenantId = application.TenantId,
        Name = application.Name,
        Description = application.Description,
        HsmSlotId = application.HsmSlotId,
        Status = (short)application.Status,
        CreatedAt = application.CreatedAt,
        UpdatedAt = application.UpdatedAt,
        Version = application.Version,
        RowMac = application.RowMac,
        RowMacMasterKeyId = application.RowMacMasterKeyId,
    };

    private static ApplicationRecord ToRecord(ApplicationEntity application) => new()
    {
        Id = application.Id,
        TenantId = application.TenantId,
        Name = application.Name,
        Description = application.Description,
        HsmSlotId = application.HsmSlotId,
        Status = Enum.IsDefined((ApplicationStatus)application.Status) ? (ApplicationStatus)application.Status : throw Invalid("application", application.Id, "status"),
        CreatedAt = application.CreatedAt,
        UpdatedAt = application.UpdatedAt,
        Version = application.Version,
        RowMac = application.RowMac,
        RowMacMasterKeyId = application.RowMacMasterKeyId,
    };

    private static ApplicationCredentialEntity ToEntity(ApplicationCredentialRecord credential) => new()
    {
        Id = credential.Id,
        TenantId = credential.TenantId,
        ApplicationId = credential.ApplicationId,
        ClientId = credential.ClientId,
        SecretHash = credential.SecretHash,
        CreatedAt = credential.CreatedAt,
        ExpiresAt = credential.ExpiresAt,
        LastUsedAt = credential.LastUsedAt,
        RevokedAt = credential.RevokedAt,
        Version = credential.Version,
        RowMac = credential.RowMac,
        RowMacMasterKeyId = credential.RowMacMasterKeyId,
    };

    private static ApplicationCredentialRecord ToRecord(ApplicationCredentialEntity credential) => new()
    {
        Id = credential.Id,
        TenantId = credential.TenantId,
        ApplicationId = credential.ApplicationId,
        ClientId = credential.ClientId,
        SecretHash = credential.SecretHash,
        CreatedAt = credential.CreatedAt,
        ExpiresAt = credential.ExpiresAt,
        LastUsedAt = credential.LastUsedAt,
        RevokedAt = credential.RevokedAt,
        Version = credential.Version,
        RowMac = credential.RowMac,
        RowMacMasterKeyId = credential.RowMacMasterKeyId,
    };

    private static KeyInfraException Invalid(string what, Guid id, string column)
        => new(ErrorCodes.StoredDataInvalid, $"The stored {what} {id} has an invalid {column}; the row was changed outside KeyInfra. Restore it from a backup.");
}
