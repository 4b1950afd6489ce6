using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Identity;

/// <summary>The engine's <see cref="IUserStore"/>: validates, authorizes, seals every row it writes and checks every row it reads.</summary>
internal sealed class UserStore(
    IdentityRows rows,
    AccessControlCache cache,
    ICredentialHasher hasher,
    CredentialThrottle throttle,
    ITenantContext tenant,
    AccessGuard access,
    AuditRecorder audit,
    TimeProvider time,
    ILogger<UserStore> logger) : IUserStore
{
    private const int UpdateAttempts = 8;
    private const string ThrottleKind = "user";

    // A hash of a random secret, checked when the user name is unknown, so an unknown name costs what a known one does.
    private readonly Lazy<string> _decoyHash = new(() => hasher.Hash(Guid.NewGuid().ToString("N")));

    public async Task<UserInfo> CreateAsync(CreateUserRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        IdentityText.Name(request.Username, "A user name", nameof(request));
        IdentityText.Email(request.Email, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Roles, nameof(request));
        foreach (var role in request.Roles)
        {
            IdentityText.Role(role, nameof(request));
        }

        if (request.ApplicationId is { } applicationId
            && await rows.CheckAsync(await rows.Repository.GetApplicationAsync(tenantId, applicationId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false) is null)
        {
            throw NoApplication(applicationId);
        }

        var now = Now();
        foreach (var role in request.Roles.Distinct(StringComparer.Ordinal))
        {
            await rows.EnsureRoleRowAsync(tenantId, role, now, cancellationToken).ConfigureAwait(false);
        }

        var user = await rows.SealAsync(
            new UserRecord
            {
                Id = Guid.CreateVersion7(),
                TenantId = tenantId,
                Username = request.Username,
                Email = request.Email,
                PasswordHash = request.Password is null ? null : hasher.Hash(request.Password),
                Status = UserStatus.Active,
                ApplicationId = request.ApplicationId,
                CreatedAt = now,
                UpdatedAt = now,
                Version = 1,
            },
            cancellationToken).ConfigureAwait(false);
        await rows.Repository.AddUserAsync(user, cancellationToken).ConfigureAwait(false);
        foreach (var role in request.Roles.Distinct(StringComparer.Ordinal))
        {
            await AssignAsync(user, role, now, cancellationToken).ConfigureAwait(false);
        }

        cache.Invalidate(tenantId);
        Log.UserAdded(logger, user.Id, user.Username, tenantId);
        var created = await ToInfoAsync(user, cancellationToken).ConfigureAwait(false);
        await audit.ChangeAsync(AuditStates.User(AuditActions.UserCreate, null, created), cancellationToken).ConfigureAwait(false);
        return created;
    }

    public async Task<UserInfo?> GetAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var user = await ReadAsync(tenantId, userId, cancellationToken).ConfigureAwait(false);
        return user is null ? null : await ToInfoAsync(user, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UserInfo?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var user = await rows.CheckAsync(await rows.Repository.FindUserAsync(tenantId, username, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return user is null ? null : await ToInfoAsync(user, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<UserInfo>> ListAsync(Guid? after = null, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        IdentityText.PageSize(pageSize, nameof(pageSize));
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var users = new List<UserInfo>();
        foreach (var row in await rows.Repository.ListUsersAsync(tenantId, after, pageSize, cancellationToken).ConfigureAwait(false))
        {
            // A row that fails authentication is left out (and logged at Error), as if it were not there.
            if (await rows.CheckAsync(row, cancellationToken).ConfigureAwait(false) is { } user)
            {
                users.Add(await ToInfoAsync(user, cancellationToken).ConfigureAwait(false));
            }
        }

        return users;
    }

    public async Task<UserInfo> SetStatusAsync(Guid userId, UserStatus status, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Not a user status.");
        }

        var (before, user) = await UpdateAsync(userId, u => u with { Status = status }, cancellationToken).ConfigureAwait(false);
        Log.UserChanged(logger, userId, user.TenantId, $"status {status}");
        return await AuditedAsync(AuditActions.UserStatus, before, user, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UserInfo> SetPasswordAsync(Guid userId, string? password, CancellationToken cancellationToken = default)
    {
        // Asked first: hashing costs hundreds of milliseconds, which no caller without the permission may spend.
        await DemandAsync(tenant.TenantId, cancellationToken).ConfigureAwait(false);
        var hash = password is null ? null : hasher.Hash(password);
        var (before, user) = await UpdateAsync(userId, u => u with { PasswordHash = hash }, cancellationToken).ConfigureAwait(false);
        Log.UserChanged(logger, userId, user.TenantId, password is null ? "password removed" : "password set");
        return await AuditedAsync(AuditActions.UserPassword, before, user, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UserInfo> AddRoleAsync(Guid userId, string role, CancellationToken cancellationToken = default)
    {
        IdentityText.Role(role, nameof(role));
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var user = await ReadAsync(tenantId, userId, cancellationToken).ConfigureAwait(false) ?? throw NoUser(userId);
        var before = await ToInfoAsync(user, cancellationToken).ConfigureAwait(false);
        var now = Now();
        await rows.EnsureRoleRowAsync(tenantId, role, now, cancellationToken).ConfigureAwait(false);
        await AssignAsync(user, role, now, cancellationToken).ConfigureAwait(false);
        cache.Invalidate(tenantId);
        Log.UserChanged(logger, userId, tenantId, $"role '{role}' given");
        return await AuditedAsync(AuditActions.UserRoleAdd, before, user, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UserInfo> RemoveRoleAsync(Guid userId, string role, CancellationToken cancellationToken = default)
    {
        IdentityText.Role(role, nameof(role));
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var user = await ReadAsync(tenantId, userId, cancellationToken).ConfigureAwait(false) ?? throw NoUser(userId);
        var before = await ToInfoAsync(user, cancellationToken).ConfigureAwait(false);
        await rows.Repository.RemoveRoleAssignmentAsync(tenantId, PrincipalKind.User, userId, role, cancellationToken).ConfigureAwait(false);
        cache.Invalidate(tenantId);
        Log.UserChanged(logger, userId, tenantId, $"role '{role}' taken");
        return await AuditedAsync(AuditActions.UserRoleRemove, before, user, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CredentialVerification> VerifyPasswordAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        var tenantId = tenant.TenantId;
        if (username.Length is 0 or > IdentityText.MaxNameLength)
        {
            await audit.DecisionAsync(access.Caller, AuditActions.PasswordCheck, AuditDecision.Deny, $"malformed user name (empty or over {IdentityText.MaxNameLength} characters)", cancellationToken).ConfigureAwait(false);
            return CredentialVerification.Failed;
        }

        var shown = CallerText.Printable(username);
        if (!throttle.TryBegin(tenantId, ThrottleKind, username, out var lockedUntil, out var attempts))
        {
            Log.PasswordCheckFailed(logger, shown, tenantId, "throttled");
            await audit.DecisionAsync(access.Caller, AuditActions.PasswordCheck, AuditDecision.Deny, "throttled: too many failures for this user name", cancellationToken).ConfigureAwait(false);
            return CredentialVerification.Failed;
        }

        var user = await rows.CheckAsync(await rows.Repository.FindUserAsync(tenantId, username, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var check = CredentialCheck.Failed;
        string reason;
        try
        {
            check = hasher.Verify(password, user?.PasswordHash ?? _decoyHash.Value);
            reason = user is null ? "no such user" : user.PasswordHash is null ? "the user has no password" : "wrong password";
        }
        catch (CredentialHashException ex)
        {
            reason = $"the stored hash is refused ({ex.ErrorCode})";
        }

        if (user is null || user.PasswordHash is null || check == CredentialCheck.Failed || user.Status != UserStatus.Active)
        {
            if (check != CredentialCheck.Failed && user is not null)
            {
                reason = $"the user is {user.Status.ToString().ToLowerInvariant()}";
            }

            Log.PasswordCheckFailed(logger, shown, tenantId, reason);
            // A user name is kept only when it names a user: what was typed there may be a password in the wrong field.
            await audit.DecisionAsync(access.Caller, AuditActions.PasswordCheck, AuditDecision.Deny,
                user is null ? reason : $"{reason} (user name '{user.Username}')", cancellationToken).ConfigureAwait(false);
            if (lockedUntil is { } until)
            {
                Log.CredentialCheckThrottled(logger, shown, tenantId, attempts, until);
            }

            return CredentialVerification.Failed;
        }

        throttle.Succeed(tenantId, ThrottleKind, username);
        var now = Now();
        if (check == CredentialCheck.SucceededRehashNeeded)
        {
            // The hash is made again with the current iteration count; a writer who got there first simply wins.
            var rehashed = await rows.SealAsync(user with { PasswordHash = hasher.Hash(password), Version = user.Version + 1, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
            await rows.Repository.UpdateUserAsync(rehashed, user.Version, cancellationToken).ConfigureAwait(false);
        }

        await rows.Repository.RecordLoginAsync(tenantId, user.Id, now, cancellationToken).ConfigureAwait(false);
        var caller = Caller.ForUser(user.Id.ToString(), user.Username);
        await audit.DecisionAsync(caller, AuditActions.PasswordCheck, AuditDecision.Allow, null, cancellationToken).ConfigureAwait(false);
        return CredentialVerification.Success(caller);
    }

    private async Task<(UserRecord Before, UserRecord After)> UpdateAsync(Guid userId, Func<UserRecord, UserRecord> change, CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId;
        await DemandAsync(tenantId, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < UpdateAttempts; attempt++)
        {
            var user = await ReadAsync(tenantId, userId, cancellationToken).ConfigureAwait(false) ?? throw NoUser(userId);
            var changed = await rows.SealAsync(change(user) with { Version = user.Version + 1, UpdatedAt = Now() }, cancellationToken).ConfigureAwait(false);
            if (await rows.Repository.UpdateUserAsync(changed, user.Version, cancellationToken).ConfigureAwait(false))
            {
                cache.Invalidate(tenantId);
                return (user, changed);
            }
        }

        throw new KeyInfraException(ErrorCodes.IdentityUpdateConflict, $"User {userId} was changed by other writers on every attempt to update it; nothing was changed by this call. Try again.");
    }

    private async Task AssignAsync(UserRecord user, string role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var assignment = await rows.SealAsync(
            new RoleAssignmentRecord { TenantId = user.TenantId, Kind = PrincipalKind.User, PrincipalId = user.Id, Role = role, CreatedAt = now },
            cancellationToken).ConfigureAwait(false);
        await rows.Repository.AddRoleAssignmentAsync(assignment, cancellationToken).ConfigureAwait(false);
    }

    private async Task<UserRecord?> ReadAsync(Guid tenantId, Guid userId, CancellationToken cancellationToken)
        => await rows.CheckAsync(await rows.Repository.GetUserAsync(tenantId, userId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false) is { } user
            && user.TenantId == tenantId && user.Id == userId
                ? user
                : null;

    // The change is recorded once it is made; the user's info after it is what the caller is given.
    private async Task<UserInfo> AuditedAsync(string action, UserRecord before, UserRecord after, CancellationToken cancellationToken)
        => await AuditedAsync(action, await ToInfoAsync(before, cancellationToken).ConfigureAwait(false), after, cancellationToken).ConfigureAwait(false);

    private async Task<UserInfo> AuditedAsync(string action, UserInfo before, UserRecord after, CancellationToken cancellationToken)
    {
        var info = await ToInfoAsync(after, cancellationToken).ConfigureAwait(false);
        await audit.ChangeAsync(AuditStates.User(action, before, info), cancellationToken).ConfigureAwait(false);
        return info;
    }

    private async Task<UserInfo> ToInfoAsync(UserRecord user, CancellationToken cancellationToken)
        => new(user.Id, user.TenantId, user.Username, user.Email, user.Status, user.ApplicationId, user.PasswordHash is not null,
            await rows.RolesOfAsync(user.TenantId, PrincipalKind.User, user.Id, cancellationToken).ConfigureAwait(false),
            user.CreatedAt, user.UpdatedAt, user.LastLoginAt);

    // Cut to the microsecond, as storage keeps times: a row sealed before it is written is the row read back.
    private DateTimeOffset Now() => StoredTime.Truncate(time.GetUtcNow());

    private ValueTask DemandAsync(Guid tenantId, CancellationToken cancellationToken)
        => access.DemandAsync(KeyInfraOperation.ManageUsers, tenantId, null, null, null, cancellationToken);

    private static KeyInfraException NoUser(Guid userId)
        => new(ErrorCodes.UserNotFound, $"There is no user {userId} in this tenant. List the users ('users list') to find the right id.");

    internal static KeyInfraException NoApplication(Guid applicationId)
        => new(ErrorCodes.ApplicationNotFound, $"There is no application {applicationId} in this tenant. List the applications ('apps list') to find the right id.");
}
