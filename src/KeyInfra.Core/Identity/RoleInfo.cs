namespace KeyInfra.Identity;

/// <summary>A role and everything it grants in a tenant: from code (built in), configuration and the database together.</summary>
/// <param name="Name">The role's name.</param>
/// <param name="Description">What the role is for, if given.</param>
/// <param name="BuiltIn">Whether it is one of <see cref="Authorization.KeyInfraRoles"/>.</param>
/// <param name="Permissions">What it grants, in <see cref="Authorization.KeyInfraPermissions.All"/> order.</param>
/// <param name="StoredPermissions">What the tenant's <c>role_permissions</c> rows grant (the part <see cref="IRoleStore.RevokeAsync"/> can take away).</param>
public sealed record RoleInfo(string Name, string? Description, bool BuiltIn, IReadOnlyList<string> Permissions, IReadOnlyList<string> StoredPermissions);
