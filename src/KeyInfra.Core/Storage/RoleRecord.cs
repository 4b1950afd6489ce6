namespace KeyInfra.Storage;

/// <summary>A role of a tenant as stored in <c>roles</c>: a built-in or configured role once something refers to it, or a custom one.</summary>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="Name">The role's name, unique in the tenant: 1–64 characters of lowercase letters, digits, '_' and '-'.</param>
/// <param name="Description">What the role is for; at most 200 characters.</param>
/// <param name="BuiltIn">Whether the role is one of <see cref="Authorization.KeyInfraRoles"/> (whose permissions come from code).</param>
/// <param name="CreatedAt">When the row was added (UTC).</param>
/// <remarks>A role row grants nothing by itself: its <c>role_permissions</c> rows (and code or configuration) do, so it carries no MAC.</remarks>
public sealed record RoleRecord(Guid TenantId, string Name, string? Description, bool BuiltIn, DateTimeOffset CreatedAt);
