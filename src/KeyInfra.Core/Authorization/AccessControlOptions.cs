namespace KeyInfra.Authorization;

/// <summary>Roles defined in configuration (<c>KeyInfra:AccessControl</c>), merged with the built-in ones (and, later, the database's).</summary>
/// <remarks>
/// KeyInfra does not enforce roles by itself yet: the built-in authorizer comes with its users and applications. Until
/// then a host's <see cref="IKeyInfraAuthorizer"/> can decide with <see cref="RolePermissions"/> and
/// <see cref="KeyInfraPermissions.RequiredFor"/>.
/// </remarks>
public sealed class AccessControlOptions
{
    /// <summary>
    /// Role name → the permissions it grants, for example <c>"auditor": ["read_log", "read_audit"]</c>. A role of
    /// <see cref="KeyInfraRoles"/> listed here gets these permissions as well as its own; none is ever taken away.
    /// Names are 1–64 characters of lowercase letters, digits, '_' and '-'; permissions are names of
    /// <see cref="KeyInfraPermissions.All"/>. Checked when the host starts.
    /// </summary>
    public IDictionary<string, IList<string>> Roles { get; } = new Dictionary<string, IList<string>>(StringComparer.Ordinal);
}
