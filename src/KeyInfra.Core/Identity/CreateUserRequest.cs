namespace KeyInfra.Identity;

/// <summary>What <see cref="IUserStore.CreateAsync"/> adds.</summary>
public sealed record CreateUserRequest
{
    /// <summary>The user name, unique in the tenant (ordinal): 1–200 characters, no control characters.</summary>
    public required string Username { get; init; }

    /// <summary>The e-mail address, unique in the tenant: at most 320 characters with one '@'; <c>null</c> for none.</summary>
    public string? Email { get; init; }

    /// <summary>
    /// The password (hashed at once with <see cref="ICredentialHasher"/>; never stored or logged), or <c>null</c> when the
    /// host authenticates the user itself.
    /// </summary>
    public string? Password { get; init; }

    /// <summary>The application the user belongs to (whose keys the user may use too); <c>null</c> for none.</summary>
    public Guid? ApplicationId { get; init; }

    /// <summary>The roles to give the user; by default <c>user</c>.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [Authorization.KeyInfraRoles.User];

    /// <summary>Names the user; never prints the password.</summary>
    public override string ToString() => $"CreateUserRequest('{Username}', roles {string.Join(",", Roles)}{(Password is null ? "" : ", with a password")})";
}
