namespace KeyInfra.Identity;

/// <summary>
/// The users of the current tenant (<see cref="Tenancy.ITenantContext"/>), their roles and passwords. Every call but
/// <see cref="VerifyPasswordAsync"/> needs the <c>manage_users</c> permission (<see cref="Authorization.KeyInfraOperation.ManageUsers"/>).
/// </summary>
/// <remarks>
/// KeyInfra is a library: the host authenticates people (its own login, ASP.NET Core) and tells KeyInfra who calls with
/// <see cref="Authorization.Caller.ForUser"/> and the user's id. KeyInfra can also hold a password hash for a user and
/// check it. Every row that decides access carries a MAC under the master key, so a database writer cannot make a user,
/// raise one's status or give one a role. Thread-safe.
/// </remarks>
public interface IUserStore
{
    /// <summary>Adds a user.</summary>
    /// <param name="request">The user.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The user as stored.</returns>
    /// <exception cref="Errors.KeyInfraException">KI5103: the user name or e-mail is taken; KI5106: a role does not exist; KI5105: the application does not exist.</exception>
    /// <exception cref="ArgumentException">A field is empty, too long or holds control characters.</exception>
    Task<UserInfo> CreateAsync(CreateUserRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads a user by id; <c>null</c> if the tenant has none (or its row failed authentication).</summary>
    /// <param name="userId">The user's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<UserInfo?> GetAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Reads a user by user name (exact); <c>null</c> if the tenant has none.</summary>
    /// <param name="username">The user name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<UserInfo?> FindAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>A page of the tenant's users in id (creation) order.</summary>
    /// <param name="after">The last id of the previous page; <c>null</c> for the first.</param>
    /// <param name="pageSize">1–1,000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<UserInfo>> ListAsync(Guid? after = null, int pageSize = 100, CancellationToken cancellationToken = default);

    /// <summary>Sets a user's status: <see cref="UserStatus.Inactive"/> or <see cref="UserStatus.Suspended"/> denies every call the user makes from then on (other processes within <c>KeyInfra:AccessControl:CacheSeconds</c>).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="status">The new status.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5104: no such user.</exception>
    Task<UserInfo> SetStatusAsync(Guid userId, UserStatus status, CancellationToken cancellationToken = default);

    /// <summary>Sets (or with <c>null</c> removes) a user's password.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="password">The new password, 1–1,024 characters; hashed at once, never stored or logged.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5104: no such user.</exception>
    Task<UserInfo> SetPasswordAsync(Guid userId, string? password, CancellationToken cancellationToken = default);

    /// <summary>Gives a user a role (nothing changes if the user holds it).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="role">A built-in, configured or added role.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5104: no such user; KI5106: no such role.</exception>
    Task<UserInfo> AddRoleAsync(Guid userId, string role, CancellationToken cancellationToken = default);

    /// <summary>Takes a role from a user (nothing changes if the user does not hold it).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="role">The role.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5104: no such user.</exception>
    Task<UserInfo> RemoveRoleAsync(Guid userId, string role, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks a user name and password. No permission is needed (this is how a caller comes to be). An unknown user, a
    /// wrong password, a user who is not active and a user without a password all fail alike; a hash made with fewer
    /// iterations than configured is made again on success.
    /// </summary>
    /// <param name="username">The user name.</param>
    /// <param name="password">The password presented.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<CredentialVerification> VerifyPasswordAsync(string username, string password, CancellationToken cancellationToken = default);
}
