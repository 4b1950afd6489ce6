namespace KeyInfra.Authorization;

/// <summary>
/// Access control (<c>KeyInfra:AccessControl</c>): roles defined in configuration, merged with the built-in ones and the
/// database's, and the limits of the built-in role-based authorizer (<c>UseRoleBasedAccessControl()</c>).
/// </summary>
public sealed class AccessControlOptions
{
    /// <summary>The shortest <see cref="CacheSeconds"/>.</summary>
    public const int MinCacheSeconds = 1;

    /// <summary>The longest <see cref="CacheSeconds"/>.</summary>
    public const int MaxCacheSeconds = 300;

    /// <summary>
    /// Role name → the permissions it grants, for example <c>"auditor": ["read_log", "read_audit"]</c>. A role of
    /// <see cref="KeyInfraRoles"/> listed here gets these permissions as well as its own; none is ever taken away.
    /// Names are 1–64 characters of lowercase letters, digits, '_' and '-'; permissions are names of
    /// <see cref="KeyInfraPermissions.All"/>. Checked when the host starts.
    /// </summary>
    public IDictionary<string, IList<string>> Roles { get; } = new Dictionary<string, IList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// How long the authorizer keeps what it read of a user or application (status, roles, grants) before reading it
    /// again; default 10 seconds, 1–300. A change made through this process is seen at once; one made by another process
    /// within this time.
    /// </summary>
    public int CacheSeconds { get; set; } = 10;

    /// <summary>Failed credential or password checks in a row, per client id or user name, before checks are throttled; default 5, 1–1,000.</summary>
    public int MaxCredentialFailures { get; set; } = 5;

    /// <summary>How long a throttled client id or user name fails without being checked; default 60 seconds, 1–86,400.</summary>
    public int CredentialLockoutSeconds { get; set; } = 60;
}
