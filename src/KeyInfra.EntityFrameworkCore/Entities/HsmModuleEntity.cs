namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>hsm_modules</c>: a PKCS#11 library on the host. Global, not owned by a tenant.</summary>
internal sealed class HsmModuleEntity
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The library's path. Not trusted: the PKCS#11 package loads only paths the host's options allow.</summary>
    public string LibraryPath { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
