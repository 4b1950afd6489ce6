using System.Collections.Concurrent;
using KeyInfra.Encryption;
using KeyInfra.Identity;
using KeyInfra.RowAuthentication;
using Microsoft.Extensions.Options;

namespace KeyInfra.Authorization;

/// <summary>
/// What the role-based authorizer knows of each user and application, read from authentic rows and kept for
/// <see cref="AccessControlOptions.CacheSeconds"/>, so a warm check touches no database. The stores drop a tenant's
/// entries whenever they change something in it.
/// </summary>
/// <remarks>Thread-safe. Bounded: past <see cref="MaxEntries"/> principals the cache starts again empty.</remarks>
internal sealed class AccessControlCache(IdentityRows rows, TimeProvider time, IOptions<KeyInfraOptions> options, IServiceProvider services)
{
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(Guid TenantId, string StableId), PrincipalAccess> _principals = new();
    private readonly ConcurrentDictionary<Guid, (Dictionary<string, SortedSet<string>> Grants, long ExpiresAt, long Generation)> _grants = new();
    private readonly ConcurrentDictionary<Guid, long> _generations = new();

    /// <summary>The access of <paramref name="caller"/> (a user or an application) in <paramref name="tenantId"/>.</summary>
    public ValueTask<PrincipalAccess> GetAsync(Guid tenantId, Caller caller, CancellationToken cancellationToken)
    {
        if (_principals.TryGetValue((tenantId, caller.StableId), out var access) && time.GetTimestamp() < access.ExpiresAt
            && access.Generation == _generations.GetValueOrDefault(tenantId))
        {
            return new ValueTask<PrincipalAccess>(access);
        }

        return new ValueTask<PrincipalAccess>(LoadAsync(tenantId, caller, cancellationToken));
    }

    /// <summary>Forgets everything read of a tenant: its next checks read the rows again.</summary>
    public void Invalidate(Guid tenantId)
    {
        _generations.AddOrUpdate(tenantId, 1, static (_, g) => g + 1);
        _grants.TryRemove(tenantId, out _);
        foreach (var key in _principals.Keys)
        {
            if (key.TenantId == tenantId)
            {
                _principals.TryRemove(key, out _);
            }
        }
    }

    private async Task<PrincipalAccess> LoadAsync(Guid tenantId, Caller caller, CancellationToken cancellationToken)
    {
        var generation = _generations.GetValueOrDefault(tenantId);
        var expiresAt = time.GetTimestamp() + (long)(options.Value.AccessControl.CacheSeconds * (double)time.TimestampFrequency);
        var access = await ReadAsync(tenantId, caller, expiresAt, cancellationToken).ConfigureAwait(false) with { Generation = generation };

        // Stamped with the generation read before: a change committed while this read ran moved the generation on,
        // so the entry is never used again (checked on every read, not only here).
        if (_principals.Count >= MaxEntries)
        {
            _principals.Clear();
        }

        _principals[(tenantId, caller.StableId)] = access;
        return access;
    }

    private async Task<PrincipalAccess> ReadAsync(Guid tenantId, Caller caller, long expiresAt, CancellationToken cancellationToken)
    {
        // Without a master key nothing in the identity tables is authenticated: the database would decide who may do what.
        if (services.GetService(typeof(IEncryptionKeyProvider)) is null)
        {
            return PrincipalAccess.Denied("role-based access control needs a master key source: without one, identity rows cannot be authenticated", expiresAt);
        }

        if (!Guid.TryParseExact(caller.Id, "D", out var id))
        {
            return PrincipalAccess.Denied($"{caller.StableId} is not a user or application of KeyInfra (its id is not a KeyInfra id)", expiresAt);
        }

        var repository = rows.Repository;
        PrincipalKind kind;
        string[] owners;
        if (caller.Kind == CallerKind.User)
        {
            var user = await rows.CheckAsync(await repository.GetUserAsync(tenantId, id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (user is null || user.TenantId != tenantId || user.Id != id)
            {
                return PrincipalAccess.Denied("no such user in this tenant (or its row failed authentication)", expiresAt);
            }

            if (user.Status != UserStatus.Active)
            {
                return PrincipalAccess.Denied($"the user is {user.Status.ToString().ToLowerInvariant()}", expiresAt);
            }

            kind = PrincipalKind.User;
            owners = [caller.StableId];
            if (user.ApplicationId is { } applicationId
                && await rows.CheckAsync(await repository.GetApplicationAsync(tenantId, applicationId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
                    is { Status: ApplicationStatus.Active } application && application.TenantId == tenantId && application.Id == applicationId)
            {
                // The application's keys too, while the application is active.
                owners = [caller.StableId, "app:" + applicationId.ToString()];
            }
        }
        else
        {
            var application = await rows.CheckAsync(await repository.GetApplicationAsync(tenantId, id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (application is null || application.TenantId != tenantId || application.Id != id)
            {
                return PrincipalAccess.Denied("no such application in this tenant (or its row failed authentication)", expiresAt);
            }

            if (application.Status != ApplicationStatus.Active)
            {
                return PrincipalAccess.Denied("the application is disabled", expiresAt);
            }

            kind = PrincipalKind.Application;
            owners = [caller.StableId];
        }

        var roles = await rows.RolesOfAsync(tenantId, kind, id, cancellationToken).ConfigureAwait(false);
        var grants = await GrantsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var permissions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            permissions.UnionWith(rows.Configured.Of(role));
            if (grants.TryGetValue(role, out var granted))
            {
                permissions.UnionWith(granted);
            }
        }

        var state = await ((MasterKeyValidator)services.GetService(typeof(MasterKeyValidator))!).EnsureValidatedAsync(cancellationToken).ConfigureAwait(false);
        return PrincipalAccess.Allowed(permissions, owners, expiresAt) with { KeyOwnersTrusted = state == KeyRowState.Strict };
    }

    private async Task<Dictionary<string, SortedSet<string>>> GrantsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var generation = _generations.GetValueOrDefault(tenantId);
        if (_grants.TryGetValue(tenantId, out var cached) && time.GetTimestamp() < cached.ExpiresAt && cached.Generation == generation)
        {
            return cached.Grants;
        }

        var grants = await rows.GrantsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        _grants[tenantId] = (grants, time.GetTimestamp() + (long)(options.Value.AccessControl.CacheSeconds * (double)time.TimestampFrequency), generation);
        return grants;
    }
}
