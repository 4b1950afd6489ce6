namespace KeyInfra.Identity;

/// <summary>What <see cref="IApplicationStore.CreateAsync"/> registers.</summary>
public sealed record CreateApplicationRequest
{
    /// <summary>The name, unique in the tenant (ordinal): 1–200 characters, no control characters.</summary>
    public required string Name { get; init; }

    /// <summary>What the application is; at most 200 characters.</summary>
    public string? Description { get; init; }

    /// <summary>The HSM slot (of the tenant) its keys live in by default; <c>null</c> for none.</summary>
    public Guid? HsmSlotId { get; init; }

    /// <summary>The roles to give the application; by default <c>user</c>.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [Authorization.KeyInfraRoles.User];
}
