namespace KeyInfra.Identity;

/// <summary>A user as KeyInfra returns it: never the password hash.</summary>
/// <param name="Id">The user's id; a user caller's <see cref="Authorization.Caller.Id"/> is its text form (<c>Caller.ForUser(id.ToString())</c>).</param>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="Username">The user name, unique in the tenant.</param>
/// <param name="Email">The e-mail address, if any.</param>
/// <param name="Status">Whether the user may act.</param>
/// <param name="ApplicationId">The application the user belongs to, if any.</param>
/// <param name="HasPassword">Whether KeyInfra holds a password hash for the user.</param>
/// <param name="Roles">The roles the user holds, by name.</param>
/// <param name="CreatedAt">When the user was added (UTC).</param>
/// <param name="UpdatedAt">When the user last changed (UTC).</param>
/// <param name="LastLoginAt">When the user's password last checked out (UTC), if ever.</param>
public sealed record UserInfo(
    Guid Id,
    Guid TenantId,
    string Username,
    string? Email,
    UserStatus Status,
    Guid? ApplicationId,
    bool HasPassword,
    IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastLoginAt)
{
    /// <summary>The caller that acts as this user: <c>user:&lt;id&gt;</c>, with the user name as display name.</summary>
    public Authorization.Caller ToCaller() => Authorization.Caller.ForUser(Id.ToString(), Username);
}
