namespace KeyInfra.Identity;

/// <summary>
/// The applications of the current tenant (services that call the host with their own credentials), their roles and
/// credentials. Every call but <see cref="VerifyCredentialAsync"/> needs <c>manage_users</c>.
/// </summary>
/// <remarks>
/// <para>A credential is a client id and a secret. The secret is shown once, when it is made, and only its
/// <c>pbkdf2_sha256</c> hash is stored. An application may have several live credentials, so a secret is rotated without
/// downtime: add a new one, move the application to it, revoke the old one.</para>
/// <para>Thread-safe. Rows carry MACs under the master key: a database writer cannot plant a credential, lift a
/// revocation or extend an expiry.</para>
/// </remarks>
public interface IApplicationStore
{
    /// <summary>Registers an application.</summary>
    /// <param name="request">The application.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5103: the name is taken; KI5106: a role does not exist.</exception>
    Task<ApplicationInfo> CreateAsync(CreateApplicationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads an application by id; <c>null</c> if the tenant has none.</summary>
    /// <param name="applicationId">The application's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ApplicationInfo?> GetAsync(Guid applicationId, CancellationToken cancellationToken = default);

    /// <summary>Reads an application by name (exact); <c>null</c> if the tenant has none.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ApplicationInfo?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>A page of the tenant's applications in id (creation) order.</summary>
    /// <param name="after">The last id of the previous page; <c>null</c> for the first.</param>
    /// <param name="pageSize">1–1,000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ApplicationInfo>> ListAsync(Guid? after = null, int pageSize = 100, CancellationToken cancellationToken = default);

    /// <summary>Enables or disables an application; a disabled one's credentials fail and its calls are denied.</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="status">The new status.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5105: no such application.</exception>
    Task<ApplicationInfo> SetStatusAsync(Guid applicationId, ApplicationStatus status, CancellationToken cancellationToken = default);

    /// <summary>Gives an application a role (nothing changes if it holds it).</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="role">The role.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5105: no such application; KI5106: no such role.</exception>
    Task<ApplicationInfo> AddRoleAsync(Guid applicationId, string role, CancellationToken cancellationToken = default);

    /// <summary>Takes a role from an application (nothing changes if it does not hold it).</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="role">The role.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5105: no such application.</exception>
    Task<ApplicationInfo> RemoveRoleAsync(Guid applicationId, string role, CancellationToken cancellationToken = default);

    /// <summary>Makes a new credential for an application; its secret is in the answer and nowhere else.</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="expiresAt">When it stops working; <c>null</c> for never. Must be in the future.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5105: no such application.</exception>
    Task<NewApplicationCredential> AddCredentialAsync(Guid applicationId, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default);

    /// <summary>An application's credentials (revoked and expired ones too), in creation order.</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5105: no such application.</exception>
    Task<IReadOnlyList<ApplicationCredentialInfo>> ListCredentialsAsync(Guid applicationId, CancellationToken cancellationToken = default);

    /// <summary>Revokes a credential for good (a revoked credential cannot be made live again).</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="credentialId">The credential.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeyInfraException">KI5109: the application has no such credential.</exception>
    Task<ApplicationCredentialInfo> RevokeCredentialAsync(Guid applicationId, Guid credentialId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks a client id and secret in the current tenant. No permission is needed (this is how an application caller
    /// comes to be). Every failure looks the same, whether the client id exists or not; after
    /// <c>KeyInfra:AccessControl:MaxCredentialFailures</c> failures in a row for a client id, checks of it fail without
    /// being made for <c>KeyInfra:AccessControl:CredentialLockoutSeconds</c> (per process).
    /// </summary>
    /// <param name="clientId">The client id presented.</param>
    /// <param name="secret">The secret presented.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<CredentialVerification> VerifyCredentialAsync(string clientId, string secret, CancellationToken cancellationToken = default);
}
