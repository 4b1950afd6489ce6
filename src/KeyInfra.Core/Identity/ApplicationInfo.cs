namespace KeyInfra.Identity;

/// <summary>A registered application as KeyInfra returns it.</summary>
/// <param name="Id">The application's id; an application caller's <see cref="Authorization.Caller.Id"/> is its text form.</param>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="Name">The name, unique in the tenant.</param>
/// <param name="Description">What the application is, if given.</param>
/// <param name="HsmSlotId">The HSM slot its keys live in by default, if any.</param>
/// <param name="Status">Whether the application may act.</param>
/// <param name="Roles">The roles it holds, by name.</param>
/// <param name="CreatedAt">When it was registered (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record ApplicationInfo(
    Guid Id,
    Guid TenantId,
    string Name,
    string? Description,
    Guid? HsmSlotId,
    ApplicationStatus Status,
    IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The caller that acts as this application: <c>app:&lt;id&gt;</c>, with its name as display name.</summary>
    public Authorization.Caller ToCaller() => Authorization.Caller.ForApplication(Id.ToString(), Name);
}
