using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace KeyInfra.Authorization;

/// <summary>
/// What each role grants: the built-in roles (<see cref="KeyInfraRoles"/>) merged with those of configuration
/// (<see cref="AccessControlOptions.Roles"/>). Immutable once built; thread-safe.
/// </summary>
public sealed class RolePermissions
{
    private readonly FrozenDictionary<string, FrozenSet<string>> _roles;

    /// <summary>Builds the map from the host's options.</summary>
    /// <param name="options">KeyInfra's options (their <see cref="KeyInfraOptions.AccessControl"/>).</param>
    public RolePermissions(IOptions<KeyInfraOptions> options)
        : this(options?.Value.AccessControl ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    /// <summary>Builds the map from <paramref name="accessControl"/>.</summary>
    /// <param name="accessControl">The configured roles.</param>
    /// <exception cref="ArgumentException">A role name or permission is not valid (see <see cref="AccessControlOptions.Roles"/>).</exception>
    public RolePermissions(AccessControlOptions accessControl)
    {
        ArgumentNullException.ThrowIfNull(accessControl);
        if (Validate(accessControl) is { Count: > 0 } failures)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(accessControl));
        }

        var merged = KeyInfraRoles.BuiltIn.ToDictionary(r => r.Key, r => new HashSet<string>(r.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (role, permissions) in accessControl.Roles)
        {
            if (!merged.TryGetValue(role, out var set))
            {
                merged[role] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.UnionWith(permissions);
        }

        _roles = merged.ToFrozenDictionary(r => r.Key, r => r.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>Whether the map knows <paramref name="role"/> (built in or configured).</summary>
    /// <param name="role">A role name.</param>
    public bool Contains(string role) => role is not null && _roles.ContainsKey(role);

    /// <summary>What the map grants <paramref name="role"/> (built in and configured); empty for a role it does not know.</summary>
    /// <param name="role">A role name.</param>
    public IReadOnlySet<string> Of(string role) => role is not null && _roles.TryGetValue(role, out var granted) ? granted : FrozenSet<string>.Empty;

    /// <summary>The roles the map knows, by name.</summary>
    public IEnumerable<string> Roles => _roles.Keys;

    /// <summary>The permissions of the roles given together; an unknown role grants nothing.</summary>
    /// <param name="roles">Role names.</param>
    public IReadOnlySet<string> PermissionsOf(IEnumerable<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var permissions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            if (role is not null && _roles.TryGetValue(role, out var granted))
            {
                permissions.UnionWith(granted);
            }
        }

        return permissions;
    }

    /// <summary>Whether any of <paramref name="roles"/> grants <paramref name="permission"/>.</summary>
    /// <param name="roles">Role names.</param>
    /// <param name="permission">A permission of <see cref="KeyInfraPermissions.All"/>.</param>
    public bool Grants(IEnumerable<string> roles, string permission)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(permission);
        foreach (var role in roles)
        {
            if (role is not null && _roles.TryGetValue(role, out var granted) && granted.Contains(permission))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What is wrong with configured roles; empty when nothing is.</summary>
    internal static List<string> Validate(AccessControlOptions accessControl)
    {
        var failures = new List<string>();
        if (accessControl.CacheSeconds is < AccessControlOptions.MinCacheSeconds or > AccessControlOptions.MaxCacheSeconds)
        {
            failures.Add($"KeyInfra:AccessControl:CacheSeconds is {accessControl.CacheSeconds}; it must be {AccessControlOptions.MinCacheSeconds}–{AccessControlOptions.MaxCacheSeconds}.");
        }

        if (accessControl.MaxCredentialFailures is < 1 or > 1000)
        {
            failures.Add($"KeyInfra:AccessControl:MaxCredentialFailures is {accessControl.MaxCredentialFailures}; it must be 1–1000.");
        }

        if (accessControl.CredentialLockoutSeconds is < 1 or > 86_400)
        {
            failures.Add($"KeyInfra:AccessControl:CredentialLockoutSeconds is {accessControl.CredentialLockoutSeconds}; it must be 1–86400.");
        }

        foreach (var (role, permissions) in accessControl.Roles)
        {
            if (!IsValidName(role))
            {
                failures.Add($"KeyInfra:AccessControl:Roles has a role named '{CallerText.Printable(role)}': a role name is 1–64 characters of lowercase letters, digits, '_' and '-'.");
                continue;
            }

            foreach (var permission in permissions ?? [])
            {
                if (!KeyInfraPermissions.IsKnown(permission))
                {
                    failures.Add($"KeyInfra:AccessControl:Roles:{role} grants '{CallerText.Printable(permission)}', which is not a permission; the permissions are {string.Join(", ", KeyInfraPermissions.All)}.");
                }
            }
        }

        return failures;
    }

    /// <summary>Whether <paramref name="name"/> is a valid role name.</summary>
    internal static bool IsValidName(string? name)
        => name is { Length: >= 1 and <= 64 } && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');

}
