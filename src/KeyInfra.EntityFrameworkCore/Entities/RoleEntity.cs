namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>roles</c>: a role of a tenant (built-in and configured roles get a row once something refers to them).</summary>
internal sealed class RoleEntity
{
    public Guid TenantId { get; set; }

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public bool BuiltIn { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
