using System.Security.Cryptography;
using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Identity;

/// <summary>The engine's <see cref="IApplicationStore"/>: applications, their roles and credentials, every row sealed and checked.</summary>
internal sealed class ApplicationStore(
    IdentityRows rows,
    AccessControlCache cache,
    ICredentialHasher hasher,
    CredentialThrottle throttle,
    ITenantContext tenant,
    AccessGuard access,
    AuditRecorder audit,
    TimeProvider time,
    ILogger<ApplicationStore> logger) : IApplicationStore
{
    /// <summary>The prefix of every client id KeyInfra makes.</summary>
    public const string ClientIdPrefix = "ki_";

    private const int UpdateAttempts = 8;
    private const int SecretBytes = 32;
    private const int ClientIdBytes = 12;
    private const string ThrottleKind = "client";

    private readonly Lazy<string> _decoyHash = new(() => hasher.Hash(Guid.NewGuid().ToString("N")));

    public async Task<ApplicationInfo> CreateAsync(CreateApplicationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        IdentityText.Name(request.Name, "An application name", nameof(request));
        IdentityText.Description(request.Description, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Roles, nameof(request));
        foreach (var role in request.Roles)
        {
            IdentityText.Role(role, nameof(request));
        }

        var now = Now();
        foreach (var role in request.Roles.Distinct(StringComparer.Ordinal))
        {
            await rows.EnsureRoleRowAsync(tenantId, role, now, cancellationToken).ConfigureAwait(false);
        }

        var application = await rows.SealAsync(
            new ApplicationRecord
            {
                Id = Guid.CreateVersion7(),
                TenantId = tenantId,
                Name = request.Name,
                Description = request.Description,
                HsmSlotId = request.HsmSlotId,
                Status = ApplicationStatus.Active,
                CreatedAt = now,
                UpdatedAt = now,
                Version = 1,
            },
            cancellationToken).ConfigureAwait(false);
        await rows.Repository.AddApplicationAsync(application, cancellationToken).ConfigureAwait(false);
        foreach (var role in request.Roles.Distinct(StringComparer.Ordinal))
        {
            await AssignAsync(application, role, now, cancellationToken).ConfigureAwait(false);
        }

        cache.Invalidate(tenantId);
        Log.ApplicationChanged(logger, application.Id, tenantId, $"registered as '{application.Name}'");
        return await AuditedAsync(AuditActions.ApplicationCreate, null, application, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApplicationInfo?> GetAsync(Guid applicationId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var application = await ReadAsync(tenantId, applicationId, cancellationToken).ConfigureAwait(false);
        return application is null ? null : await ToInfoAsync(application, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApplicationInfo?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var application = await rows.CheckAsync(await rows.Repository.FindApplicationAsync(tenantId, name, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return application is null ? null : await ToInfoAsync(application, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ApplicationInfo>> ListAsync(Guid? after = null, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        IdentityText.PageSize(pageSize, nameof(pageSize));
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var applications = new List<ApplicationInfo>();
        foreach (var row in await rows.Repository.ListApplicationsAsync(tenantId, after, pageSize, cancellationToken).ConfigureAwait(false))
        {
            if (await rows.CheckAsync(row, cancellationToken).ConfigureAwait(false) is { } application)
            {
                applications.Add(await ToInfoAsync(application, cancellationToken).ConfigureAwait(false));
            }
        }

        return applications;
    }

    public async Task<ApplicationInfo> SetStatusAsync(Guid applicationId, ApplicationStatus status, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Not an application status.");
        }

        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < UpdateAttempts; attempt++)
        {
            var application = await ReadAsync(tenantId, applicationId, cancellationToken).ConfigureAwait(false) ?? throw UserStore.NoApplication(applicationId);
            var changed = await rows.SealAsync(application with { Status = status, Version = application.Version + 1, UpdatedAt = Now() }, cancellationToken).ConfigureAwait(false);
            if (await rows.Repository.UpdateApplicationAsync(changed, application.Version, cancellationToken).ConfigureAwait(false))
            {
                cache.Invalidate(tenantId);
                Log.ApplicationChanged(logger, applicationId, tenantId, $"status {status}");
                return await AuditedAsync(AuditActions.ApplicationStatus, await ToInfoAsync(application, cancellationToken).ConfigureAwait(false), changed, cancellationToken).ConfigureAwait(false);
            }
        }

        throw Conflict($"Application {applicationId}");
    }

    public async Task<ApplicationInfo> AddRoleAsync(Guid applicationId, string role, CancellationToken cancellationToken = default)
    {
        IdentityText.Role(role, nameof(role));
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var application = await ReadAsync(tenantId, applicationId, cancellationToken).ConfigureAwait(false) ?? throw UserStore.NoApplication(applicationId);
        var before = await ToInfoAsync(application, cancellationToken).ConfigureAwait(false);
        var now = Now();
        await rows.EnsureRoleRowAsync(tenantId, role, now, cancellationToken).ConfigureAwait(false);
        await AssignAsync(application, role, now, cancellationToken).ConfigureAwait(false);
        cache.Invalidate(tenantId);
        Log.ApplicationChanged(logger, applicationId, tenantId, $"role '{role}' given");
        return await AuditedAsync(AuditActions.ApplicationRoleAdd, before, application, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApplicationInfo> RemoveRoleAsync(Guid applicationId, string role, CancellationToken cancellationToken = default)
    {
        IdentityText.Role(role, nameof(role));
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var application = await ReadAsync(tenantId, applicationId, cancellationToken).ConfigureAwait(false) ?? throw UserStore.NoApplication(applicationId);
        var before = await ToInfoAsync(application, cancellationToken).ConfigureAwait(false);
        await rows.Repository.RemoveRoleAssignmentAsync(tenantId, PrincipalKind.Application, applicationId, role, cancellationToken).ConfigureAwait(false);
        cache.Invalidate(tenantId);
        Log.ApplicationChanged(logger, applicationId, tenantId, $"role '{role}' taken");
        return await AuditedAsync(AuditActions.ApplicationRoleRemove, before, application, cancellationToken).ConfigureAwait(false);
    }

    public async Task<NewApplicationCredential> AddCredentialAsync(Guid applicationId, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var now = Now();
        if (expiresAt is { } expiry && expiry <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAt), expiresAt, "A credential's expiry must be in the future.");
        }

        _ = await ReadAsync(tenantId, applicationId, cancellationToken).ConfigureAwait(false) ?? throw UserStore.NoApplication(applicationId);
        var secretBytes = RandomNumberGenerator.GetBytes(SecretBytes);
        var secret = System.Buffers.Text.Base64Url.EncodeToString(secretBytes);
        CryptographicOperations.ZeroMemory(secretBytes);
        var credential = await rows.SealAsync(
            new ApplicationCredentialRecord
            {
                Id = Guid.CreateVersion7(),
                TenantId = tenantId,
                ApplicationId = applicationId,
                ClientId = ClientIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(ClientIdBytes)),
                SecretHash = hasher.Hash(secret),
                CreatedAt = now,
                ExpiresAt = StoredTime.Truncate(expiresAt),
                Version = 1,
            },
            cancellationToken).ConfigureAwait(false);
        await rows.Repository.AddCredentialAsync(credential, cancellationToken).ConfigureAwait(false);
        Log.ApplicationChanged(logger, applicationId, tenantId, $"credential {credential.Id} (client '{credential.ClientId}') added");
        await audit.ChangeAsync(AuditStates.Credential(AuditActions.CredentialCreate, null, ToInfo(credential)), cancellationToken).ConfigureAwait(false);
        return new NewApplicationCredential(ToInfo(credential), secret);
    }

    public async Task<IReadOnlyList<ApplicationCredentialInfo>> ListCredentialsAsync(Guid applicationId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        _ = await ReadAsync(tenantId, applicationId, cancellationToken).ConfigureAwait(false) ?? throw UserStore.NoApplication(applicationId);
        var credentials = new List<ApplicationCredentialInfo>();
        foreach (var row in await rows.Repository.ListCredentialsAsync(tenantId, applicationId, cancellationToken).ConfigureAwait(false))
        {
            if (row.ApplicationId == applicationId && await rows.CheckAsync(row, cancellationToken).ConfigureAwait(false) is { } credential)
            {
                credentials.Add(ToInfo(credential));
            }
        }

        return credentials;
    }

    public async Task<ApplicationCredentialInfo> RevokeCredentialAsync(Guid applicationId, Guid credentialId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < UpdateAttempts; attempt++)
        {
            var credential = await FindCredentialAsync(tenantId, applicationId, credentialId, cancellationToken).ConfigureAwait(false);
            if (credential.RevokedAt is not null)
            {
                return ToInfo(credential);
            }

            var revoked = await rows.SealAsync(credential with { RevokedAt = Now(), Version = credential.Version + 1 }, cancellationToken).ConfigureAwait(false);
            if (await rows.Repository.UpdateCredentialAsync(revoked, credential.Version, cancellationToken).ConfigureAwait(false))
            {
                Log.ApplicationChanged(logger, applicationId, tenantId, $"credential {credentialId} (client '{credential.ClientId}') revoked");
                await audit.ChangeAsync(AuditStates.Credential(AuditActions.CredentialRevoke, ToInfo(credential), ToInfo(revoked)), cancellationToken).ConfigureAwait(false);
                return ToInfo(revoked);
            }
        }

        throw Conflict($"Credential {credentialId}");
    }

    public async Task<CredentialVerification> VerifyCredentialAsync(string clientId, string secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(secret);
        var tenantId = tenant.TenantId;
        if (clientId.Length is 0 or > IdentityText.MaxNameLength)
        {
            await audit.DecisionAsync(access.Caller, AuditActions.CredentialCheck, AuditDecision.Deny, $"malformed client id (empty or over {IdentityText.MaxNameLength} characters)", cancellationToken).ConfigureAwait(false);
            return CredentialVerification.Failed;
        }

        // The audit row keeps a client id only once it is known to name a credential: what a caller typed there may be a
        // secret pasted in the wrong field, and an audit row is never deleted.
        if (!throttle.TryBegin(tenantId, ThrottleKind, clientId, out var lockedUntil, out var attempts))
        {
            Log.CredentialCheckFailed(logger, CallerText.Printable(clientId), tenantId, "throttled");
            await audit.DecisionAsync(access.Caller, AuditActions.CredentialCheck, AuditDecision.Deny, "throttled: too many failures for this client id", cancellationToken).ConfigureAwait(false);
            return CredentialVerification.Failed;
        }

        var credential = await rows.CheckAsync(await rows.Repository.FindCredentialAsync(tenantId, clientId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var check = CredentialCheck.Failed;
        string? reason = null;
        try
        {
            // An unknown client id is checked against a decoy hash, so it takes as long as a known one.
            check = hasher.Verify(secret, credential?.SecretHash ?? _decoyHash.Value);
        }
        catch (CredentialHashException ex)
        {
            reason = $"the stored hash is refused ({ex.ErrorCode}); rotate the secret";
        }

        var now = Now();
        ApplicationRecord? application = null;
        if (credential is null || credential.TenantId != tenantId || !string.Equals(credential.ClientId, clientId, StringComparison.Ordinal))
        {
            reason ??= "no such client id (or its row failed authentication)";
        }
        else if (check == CredentialCheck.Failed)
        {
            reason ??= "wrong secret";
        }
        else if (credential.RevokedAt is not null)
        {
            reason = "the credential is revoked";
        }
        else if (credential.ExpiresAt is { } expires && expires <= now)
        {
            reason = "the credential has expired";
        }
        else if ((application = await ReadAsync(tenantId, credential.ApplicationId, cancellationToken).ConfigureAwait(false)) is null)
        {
            reason = "its application is gone (or its row failed authentication)";
        }
        else if (application.Status != ApplicationStatus.Active)
        {
            reason = "its application is disabled";
        }

        if (reason is not null || application is null || credential is null)
        {
            Log.CredentialCheckFailed(logger, CallerText.Printable(clientId), tenantId, reason ?? "refused");
            var named = credential is not null && string.Equals(credential.ClientId, clientId, StringComparison.Ordinal) ? $" (client id '{credential.ClientId}')" : string.Empty;
            await audit.DecisionAsync(access.Caller, AuditActions.CredentialCheck, AuditDecision.Deny, (reason ?? "refused") + named, cancellationToken).ConfigureAwait(false);
            if (lockedUntil is { } until)
            {
                Log.CredentialCheckThrottled(logger, CallerText.Printable(clientId), tenantId, attempts, until);
            }

            return CredentialVerification.Failed;
        }

        throttle.Succeed(tenantId, ThrottleKind, clientId);
        if (check == CredentialCheck.SucceededRehashNeeded)
        {
            var rehashed = await rows.SealAsync(credential with { SecretHash = hasher.Hash(secret), Version = credential.Version + 1 }, cancellationToken).ConfigureAwait(false);
            await rows.Repository.UpdateCredentialAsync(rehashed, credential.Version, cancellationToken).ConfigureAwait(false);
        }

        await rows.Repository.RecordCredentialUseAsync(tenantId, credential.Id, now, cancellationToken).ConfigureAwait(false);
        var caller = Caller.ForApplication(application.Id.ToString(), application.Name);
        await audit.DecisionAsync(caller, AuditActions.CredentialCheck, AuditDecision.Allow, $"client id '{credential.ClientId}'", cancellationToken).ConfigureAwait(false);
        return CredentialVerification.Success(caller);
    }

    private async Task<ApplicationCredentialRecord> FindCredentialAsync(Guid tenantId, Guid applicationId, Guid credentialId, CancellationToken cancellationToken)
    {
        foreach (var row in await rows.Repository.ListCredentialsAsync(tenantId, applicationId, cancellationToken).ConfigureAwait(false))
        {
            if (row.Id == credentialId && row.ApplicationId == applicationId && await rows.CheckAsync(row, cancellationToken).ConfigureAwait(false) is { } credential)
            {
                return credential;
            }
        }

        throw new KeyInfraException(ErrorCodes.CredentialNotFound, $"Application {applicationId} has no credential {credentialId} in this tenant. List its credentials ('apps credentials list') to find the right id.");
    }

    private async Task AssignAsync(ApplicationRecord application, string role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var assignment = await rows.SealAsync(
            new RoleAssignmentRecord { TenantId = application.TenantId, Kind = PrincipalKind.Application, PrincipalId = application.Id, Role = role, CreatedAt = now },
            cancellationToken).ConfigureAwait(false);
        await rows.Repository.AddRoleAssignmentAsync(assignment, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApplicationRecord?> ReadAsync(Guid tenantId, Guid applicationId, CancellationToken cancellationToken)
        => await rows.CheckAsync(await rows.Repository.GetApplicationAsync(tenantId, applicationId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false) is { } application
            && application.TenantId == tenantId && application.Id == applicationId
                ? application
                : null;

    // The change is recorded once it is made; the application's info after it is what the caller is given.
    private async Task<ApplicationInfo> AuditedAsync(string action, ApplicationInfo? before, ApplicationRecord after, CancellationToken cancellationToken)
    {
        var info = await ToInfoAsync(after, cancellationToken).ConfigureAwait(false);
        await audit.ChangeAsync(AuditStates.Application(action, before, info), cancellationToken).ConfigureAwait(false);
        return info;
    }

    private async Task<ApplicationInfo> ToInfoAsync(ApplicationRecord application, CancellationToken cancellationToken)
        => new(application.Id, application.TenantId, application.Name, application.Description, application.HsmSlotId, application.Status,
            await rows.RolesOfAsync(application.TenantId, PrincipalKind.Application, application.Id, cancellationToken).ConfigureAwait(false),
            application.CreatedAt, application.UpdatedAt);

    private static ApplicationCredentialInfo ToInfo(ApplicationCredentialRecord credential)
        => new(credential.Id, credential.ApplicationId, credential.ClientId, credential.CreatedAt, credential.ExpiresAt, credential.LastUsedAt, credential.RevokedAt);

    // Cut to the microsecond, as storage keeps times: a row sealed before it is written is the row read back.
    private DateTimeOffset Now() => StoredTime.Truncate(time.GetUtcNow());

    private ValueTask DemandAsync(Guid tenantId, CancellationToken cancellationToken)
        => access.DemandAsync(KeyInfraOperation.ManageUsers, tenantId, null, null, null, cancellationToken);

    private static KeyInfraException Conflict(string what)
        => new(ErrorCodes.IdentityUpdateConflict, $"{what} was changed by other writers on every attempt to update it; nothing was changed by this call. Try again.");
}
