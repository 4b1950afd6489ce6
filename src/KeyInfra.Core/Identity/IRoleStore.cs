namespace KeyInfra.Identity;

/// <summary>
/// The roles of the current tenant and what they grant: the built-in roles (<see cref="Authorization.KeyInfraRoles"/>),
/// those of configuration (<see cref="Authorization.AccessControlOptions.Roles"/>) and the tenant's own, merged (a grant
/// only ever adds). Every call needs <c>manage_users</c>.
/// </summary>
/// <remarks>Thread-safe. Grants are authenticated rows: a database writer cannot add one.</remarks>
public interface IRoleStore
{
    /// <summary>Adds a custom role to the tenant, granting nothing yet.</summary>
    /// <param name="name">1–64 characters of lowercase letters, digits, '_' and '-'.</param>
    /// <param name="description">What the role is for; at most 200 characters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5103: a role by that name exists (built in, configured or added).</exception>
    Task<RoleInfo> CreateAsync(string name, string? description = null, CancellationToken cancellationToken = default);

    /// <summary>Every role of the tenant, by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<RoleInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Makes a role grant a permission in the tenant (nothing changes if it does).</summary>
    /// <param name="role">The role.</param>
    /// <param name="permission">One of <see cref="Authorization.KeyInfraPermissions.All"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5106: no such role.</exception>
    /// <exception cref="ArgumentException">Not a permission.</exception>
    Task<RoleInfo> GrantAsync(string role, string permission, CancellationToken cancellationToken = default);

    /// <summary>Takes away a permission the tenant's rows grant a role. What code or configuration grants stays.</summary>
    /// <param name="role">The role.</param>
    /// <param name="permission">The permission.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5106: no such role.</exception>
    Task<RoleInfo> RevokeAsync(string role, string permission, CancellationToken cancellationToken = default);
}
