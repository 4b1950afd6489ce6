using KeyInfra.Identity;

namespace KeyInfra.Storage;

/// <summary>
/// Persists users, roles, role grants, role assignments, applications and their credentials. Implemented by a storage
/// provider (KeyInfra.EntityFrameworkCore); used by the engine's user, role and application stores and its authorizer,
/// which make and check every row's MAC.
/// </summary>
/// <remarks>
/// <para>Every provider keeps this contract (the storage conformance suite tests each point):</para>
/// <list type="bullet">
/// <item><description>Every method sees and changes only the tenant it is given (on PostgreSQL row-level security hides
/// other tenants' rows too).</description></item>
/// <item><description>Names are unique in a tenant, ordinal: a user's name and e-mail, a role's name, an application's
/// name, a credential's client id. Adding a duplicate throws a <see cref="Errors.KeyInfraException"/> with the code of
/// what clashed (<see cref="Errors.ErrorCodes.IdentityNameTaken"/>) and adds nothing.</description></item>
/// <item><description>Grants and assignments refer to real rows (foreign keys): a role of the tenant, a permission of
/// <c>permissions</c>, a user or application of the tenant; adding one twice returns <c>false</c> and changes nothing.
/// Assignments go with their user or application; grants and assignments go with their role.</description></item>
/// <item><description>Updates are a compare-and-set on <c>Version</c>: they return <c>false</c>, and change nothing,
/// when the stored row has another version (or is gone).</description></item>
/// <item><description>A store stores what it is given: hashes and MACs come back byte for byte, times in UTC to the
/// microsecond. A row it cannot parse fails the call (<see cref="Errors.ErrorCodes.StoredDataInvalid"/>).</description></item>
/// </list>
/// <para>Security: nothing read here is trusted; the engine checks every row's MAC before it decides on it.
/// Thread-safe; implementations open a unit of work per call.</para>
/// </remarks>
public interface IIdentityRepository
{
    /// <summary>Adds a user.</summary>
    /// <param name="user">The user, version 1.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="Errors.KeyInfraException"><see cref="Errors.ErrorCodes.IdentityNameTaken"/>: the user name or e-mail is taken; nothing was added.</exception>
    Task AddUserAsync(UserRecord user, CancellationToken cancellationToken = default);

    /// <summary>Reads a user of a tenant by id; <c>null</c> if there is none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="userId">The user's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<UserRecord?> GetUserAsync(Guid tenantId, Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Reads a user of a tenant by user name (exact, ordinal); <c>null</c> if there is none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="username">The user name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<UserRecord?> FindUserAsync(Guid tenantId, string username, CancellationToken cancellationToken = default);

    /// <summary>A page of a tenant's users in id order, after <paramref name="after"/>.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="after">The last id of the previous page; <c>null</c> for the first.</param>
    /// <param name="limit">The most rows to return (1–1,001).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<UserRecord>> ListUsersAsync(Guid tenantId, Guid? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>Replaces a user's row if it still has <paramref name="expectedVersion"/>.</summary>
    /// <param name="user">The new row (its version one more than <paramref name="expectedVersion"/>).</param>
    /// <param name="expectedVersion">The version read.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>false</c> if the row changed or went since it was read.</returns>
    /// <exception cref="Errors.KeyInfraException"><see cref="Errors.ErrorCodes.IdentityNameTaken"/>: the new e-mail is taken; nothing was changed.</exception>
    Task<bool> UpdateUserAsync(UserRecord user, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Sets a user's <c>last_login_at</c> (not covered by the row's MAC; the version stays).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="userId">The user.</param>
    /// <param name="at">When the login happened.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task RecordLoginAsync(Guid tenantId, Guid userId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Adds a role row; <c>false</c> (and nothing changed) if the tenant has one by that name.</summary>
    /// <param name="role">The role.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<bool> AddRoleAsync(RoleRecord role, CancellationToken cancellationToken = default);

    /// <summary>The tenant's role rows, by name (ordinal).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<RoleRecord>> ListRolesAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>Adds a grant; <c>false</c> if the role already grants the permission.</summary>
    /// <param name="grant">The grant; its role a role row of the tenant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<bool> AddRoleGrantAsync(RoleGrantRecord grant, CancellationToken cancellationToken = default);

    /// <summary>Removes a grant; <c>false</c> if there was none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="role">The role.</param>
    /// <param name="permission">The permission.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<bool> RemoveRoleGrantAsync(Guid tenantId, string role, string permission, CancellationToken cancellationToken = default);

    /// <summary>Every grant of the tenant, by role and permission.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<RoleGrantRecord>> ListRoleGrantsAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>Gives a user or application a role; <c>false</c> if it already holds it.</summary>
    /// <param name="assignment">The assignment; its holder and role rows of the tenant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<bool> AddRoleAssignmentAsync(RoleAssignmentRecord assignment, CancellationToken cancellationToken = default);

    /// <summary>Takes a role from a user or application; <c>false</c> if it did not hold it.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">User or application.</param>
    /// <param name="principalId">The holder's id.</param>
    /// <param name="role">The role.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<bool> RemoveRoleAssignmentAsync(Guid tenantId, PrincipalKind kind, Guid principalId, string role, CancellationToken cancellationToken = default);

    /// <summary>The roles a user or application holds, by role name.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">User or application.</param>
    /// <param name="principalId">The holder's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<RoleAssignmentRecord>> ListRoleAssignmentsAsync(Guid tenantId, PrincipalKind kind, Guid principalId, CancellationToken cancellationToken = default);

    /// <summary>Registers an application.</summary>
    /// <param name="application">The application, version 1.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="Errors.KeyInfraException"><see cref="Errors.ErrorCodes.IdentityNameTaken"/>: the name is taken; nothing was added.</exception>
    Task AddApplicationAsync(ApplicationRecord application, CancellationToken cancellationToken = default);

    /// <summary>Reads an application of a tenant by id; <c>null</c> if there is none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="applicationId">The application's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<ApplicationRecord?> GetApplicationAsync(Guid tenantId, Guid applicationId, CancellationToken cancellationToken = default);

    /// <summary>Reads an application of a tenant by name (exact, ordinal); <c>null</c> if there is none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<ApplicationRecord?> FindApplicationAsync(Guid tenantId, string name, CancellationToken cancellationToken = default);

    /// <summary>A page of a tenant's applications in id order, after <paramref name="after"/>.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="after">The last id of the previous page; <c>null</c> for the first.</param>
    /// <param name="limit">The most rows to return (1–1,001).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<ApplicationRecord>> ListApplicationsAsync(Guid tenantId, Guid? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>Replaces an application's row if it still has <paramref name="expectedVersion"/>.</summary>
    /// <param name="application">The new row.</param>
    /// <param name="expectedVersion">The version read.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>false</c> if the row changed or went since it was read.</returns>
    Task<bool> UpdateApplicationAsync(ApplicationRecord application, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Adds a credential to an application of its tenant.</summary>
    /// <param name="credential">The credential, version 1.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="Errors.KeyInfraException"><see cref="Errors.ErrorCodes.IdentityNameTaken"/>: the client id is taken; nothing was added.</exception>
    Task AddCredentialAsync(ApplicationCredentialRecord credential, CancellationToken cancellationToken = default);

    /// <summary>Reads a credential of a tenant by client id (exact, ordinal); <c>null</c> if there is none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="clientId">The client id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<ApplicationCredentialRecord?> FindCredentialAsync(Guid tenantId, string clientId, CancellationToken cancellationToken = default);

    /// <summary>An application's credentials, in id order.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="applicationId">The application.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<ApplicationCredentialRecord>> ListCredentialsAsync(Guid tenantId, Guid applicationId, CancellationToken cancellationToken = default);

    /// <summary>Replaces a credential's row if it still has <paramref name="expectedVersion"/>.</summary>
    /// <param name="credential">The new row.</param>
    /// <param name="expectedVersion">The version read.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>false</c> if the row changed or went since it was read.</returns>
    Task<bool> UpdateCredentialAsync(ApplicationCredentialRecord credential, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Sets a credential's <c>last_used_at</c> (not covered by the row's MAC; the version stays).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="credentialId">The credential.</param>
    /// <param name="at">When it was used.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task RecordCredentialUseAsync(Guid tenantId, Guid credentialId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Every tenant that has users, applications or role grants (for a master-key re-wrap, which works tenant by tenant).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<Guid>> ListTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces a grant's MAC if the row still has <paramref name="expectedMac"/> (a master-key re-wrap).</summary>
    /// <param name="grant">The grant with its new MAC and master key id.</param>
    /// <param name="expectedMac">The MAC read.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>false</c> if the row changed or went since it was read.</returns>
    Task<bool> UpdateRoleGrantMacAsync(RoleGrantRecord grant, byte[] expectedMac, CancellationToken cancellationToken = default);

    /// <summary>Replaces an assignment's MAC if the row still has <paramref name="expectedMac"/> (a master-key re-wrap).</summary>
    /// <param name="assignment">The assignment with its new MAC and master key id.</param>
    /// <param name="expectedMac">The MAC read.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>false</c> if the row changed or went since it was read.</returns>
    Task<bool> UpdateRoleAssignmentMacAsync(RoleAssignmentRecord assignment, byte[] expectedMac, CancellationToken cancellationToken = default);

    /// <summary>The <c>curves</c> rows (every curve KeyInfra knows; global, not per tenant), by curve.</summary>
    Task<IReadOnlyList<CurveRecord>> ListCurvesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets a curve's status, version and MAC, only if its stored version is <paramref name="expectedVersion"/>
    /// (compare-and-set).
    /// </summary>
    /// <returns><c>true</c> if the row was updated; <c>false</c>, changing nothing, if it is gone or changed.</returns>
    Task<bool> UpdateCurveAsync(CurveRecord curve, long expectedVersion, CancellationToken cancellationToken = default);
}
