using KeyInfra.Authorization;
using KeyInfra.Errors;
using KeyInfra.RowAuthentication;
using KeyInfra.Storage;

namespace KeyInfra.Identity;

/// <summary>
/// The identity tables as the engine sees them: every row sealed before it is written and checked after it is read, so
/// the stores and the authorizer only ever decide on authentic rows. A row that fails is treated as absent.
/// </summary>
internal sealed class IdentityRows(IIdentityRepository repository, IdentityRowAuthenticator authenticator, RolePermissions configured)
{
    public IIdentityRepository Repository => repository;

    public RolePermissions Configured => configured;

    public async ValueTask<UserRecord> SealAsync(UserRecord user, CancellationToken cancellationToken)
    {
        var (mac, keyId) = await authenticator.SealAsync(IdentityRowEncoding.Encode(user), cancellationToken).ConfigureAwait(false);
        return user with { RowMac = mac, RowMacMasterKeyId = keyId };
    }

    public async ValueTask<ApplicationRecord> SealAsync(ApplicationRecord application, CancellationToken cancellationToken)
    {
        var (mac, keyId) = await authenticator.SealAsync(IdentityRowEncoding.Encode(application), cancellationToken).ConfigureAwait(false);
        return application with { RowMac = mac, RowMacMasterKeyId = keyId };
    }

    public async ValueTask<ApplicationCredentialRecord> SealAsync(ApplicationCredentialRecord credential, CancellationToken cancellationToken)
    {
        var (mac, keyId) = await authenticator.SealAsync(IdentityRowEncoding.Encode(credential), cancellationToken).ConfigureAwait(false);
        return credential with { RowMac = mac, RowMacMasterKeyId = keyId };
    }

    public async ValueTask<RoleGrantRecord> SealAsync(RoleGrantRecord grant, CancellationToken cancellationToken)
    {
        var (mac, keyId) = await authenticator.SealAsync(IdentityRowEncoding.Encode(grant), cancellationToken).ConfigureAwait(false);
        return grant with { RowMac = mac, RowMacMasterKeyId = keyId };
    }

    public async ValueTask<RoleAssignmentRecord> SealAsync(RoleAssignmentRecord assignment, CancellationToken cancellationToken)
    {
        var (mac, keyId) = await authenticator.SealAsync(IdentityRowEncoding.Encode(assignment), cancellationToken).ConfigureAwait(false);
        return assignment with { RowMac = mac, RowMacMasterKeyId = keyId };
    }

    public async ValueTask<CurveRecord> SealAsync(CurveRecord curve, CancellationToken cancellationToken)
    {
        var (mac, keyId) = await authenticator.SealAsync(IdentityRowEncoding.Encode(curve), cancellationToken).ConfigureAwait(false);
        return curve with { RowMac = mac, RowMacMasterKeyId = keyId };
    }

    public ValueTask<bool> IsAuthenticAsync(CurveRecord curve, CancellationToken cancellationToken)
        => authenticator.IsAuthenticAsync(IdentityRowEncoding.Encode(curve), curve.RowMac, curve.RowMacMasterKeyId, $"curve {curve.Curve}", cancellationToken);

    public async ValueTask<UserRecord?> CheckAsync(UserRecord? user, CancellationToken cancellationToken)
        => user is not null && await authenticator.IsAuthenticAsync(IdentityRowEncoding.Encode(user), user.RowMac, user.RowMacMasterKeyId, $"user {user.Id} of tenant {user.TenantId}", cancellationToken).ConfigureAwait(false)
            ? user
            : null;

    public async ValueTask<ApplicationRecord?> CheckAsync(ApplicationRecord? application, CancellationToken cancellationToken)
        => application is not null && await authenticator.IsAuthenticAsync(IdentityRowEncoding.Encode(application), application.RowMac, application.RowMacMasterKeyId, $"application {application.Id} of tenant {application.TenantId}", cancellationToken).ConfigureAwait(false)
            ? application
            : null;

    public async ValueTask<ApplicationCredentialRecord?> CheckAsync(ApplicationCredentialRecord? credential, CancellationToken cancellationToken)
        => credential is not null && await authenticator.IsAuthenticAsync(IdentityRowEncoding.Encode(credential), credential.RowMac, credential.RowMacMasterKeyId, $"credential {credential.Id} (client '{credential.ClientId}') of tenant {credential.TenantId}", cancellationToken).ConfigureAwait(false)
            ? credential
            : null;

    public ValueTask<bool> IsAuthenticAsync(RoleGrantRecord grant, CancellationToken cancellationToken)
        => authenticator.IsAuthenticAsync(IdentityRowEncoding.Encode(grant), grant.RowMac, grant.RowMacMasterKeyId, $"grant of '{grant.Permission}' to role '{grant.Role}' in tenant {grant.TenantId}", cancellationToken);

    public ValueTask<bool> IsAuthenticAsync(RoleAssignmentRecord assignment, CancellationToken cancellationToken)
        => authenticator.IsAuthenticAsync(IdentityRowEncoding.Encode(assignment), assignment.RowMac, assignment.RowMacMasterKeyId, $"role '{assignment.Role}' of {assignment.Kind} {assignment.PrincipalId} in tenant {assignment.TenantId}", cancellationToken);

    /// <summary>The roles a user or application holds, from authentic rows only, by name.</summary>
    public async Task<IReadOnlyList<string>> RolesOfAsync(Guid tenantId, PrincipalKind kind, Guid principalId, CancellationToken cancellationToken)
    {
        var roles = new List<string>();
        foreach (var row in await repository.ListRoleAssignmentsAsync(tenantId, kind, principalId, cancellationToken).ConfigureAwait(false))
        {
            if (row.TenantId == tenantId && row.Kind == kind && row.PrincipalId == principalId
                && await authenticator.IsAuthenticAsync(IdentityRowEncoding.Encode(row), row.RowMac, row.RowMacMasterKeyId, $"role '{row.Role}' of {kind} {principalId} in tenant {tenantId}", cancellationToken).ConfigureAwait(false))
            {
                roles.Add(row.Role);
            }
        }

        roles.Sort(StringComparer.Ordinal);
        return roles;
    }

    /// <summary>What the tenant's authentic <c>role_permissions</c> rows grant, by role.</summary>
    public async Task<Dictionary<string, SortedSet<string>>> GrantsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var grants = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var row in await repository.ListRoleGrantsAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            if (row.TenantId == tenantId && KeyInfraPermissions.IsKnown(row.Permission)
                && await authenticator.IsAuthenticAsync(IdentityRowEncoding.Encode(row), row.RowMac, row.RowMacMasterKeyId, $"grant of '{row.Permission}' to role '{row.Role}' in tenant {tenantId}", cancellationToken).ConfigureAwait(false))
            {
                if (!grants.TryGetValue(row.Role, out var set))
                {
                    grants[row.Role] = set = new SortedSet<string>(StringComparer.Ordinal);
                }

                set.Add(row.Permission);
            }
        }

        return grants;
    }

    /// <summary>
    /// Makes sure the tenant has a <c>roles</c> row for <paramref name="role"/> (grants and assignments refer to one): a
    /// built-in or configured role gets its row the first time something refers to it.
    /// </summary>
    /// <exception cref="KeyInfraException">KI5106: the role is neither built in, configured nor added to the tenant.</exception>
    public async Task EnsureRoleRowAsync(Guid tenantId, string role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        var rows = await repository.ListRolesAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (rows.Any(r => string.Equals(r.Name, role, StringComparison.Ordinal)))
        {
            return;
        }

        if (!configured.Contains(role))
        {
            throw new KeyInfraException(ErrorCodes.RoleNotFound, $"There is no role '{CallerText.Printable(role)}' in this tenant: it is neither built in ({KeyInfraRoles.Admin}, {KeyInfraRoles.User}), configured (KeyInfra:AccessControl:Roles) nor added ('roles add'). Add it first.");
        }

        // Another writer may add the same row at once; either insert is as good.
        await repository.AddRoleAsync(new RoleRecord(tenantId, role, null, KeyInfraRoles.BuiltIn.ContainsKey(role), now), cancellationToken).ConfigureAwait(false);
    }
}
