namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>permissions</c>: a permission KeyInfra knows; reference data seeded by migration.</summary>
internal sealed class PermissionEntity
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";
}
