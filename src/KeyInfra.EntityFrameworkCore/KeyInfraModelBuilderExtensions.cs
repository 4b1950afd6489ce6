using KeyInfra.EntityFrameworkCore.Configurations;

// Where EF Core users look for model-building extensions, as EF Core's own providers do.
namespace Microsoft.EntityFrameworkCore;

/// <summary>Maps KeyInfra's tables into an EF Core model.</summary>
public static class KeyInfraModelBuilderExtensions
{
    /// <summary>
    /// Adds KeyInfra's tables, relationships, indexes and reference data to <paramref name="modelBuilder"/>, so a host
    /// can map them into a context of its own (for example to put them in the same migrations as its own tables).
    /// </summary>
    /// <remarks>
    /// The entity types are KeyInfra's and internal: a host sees the tables, not classes to query. KeyInfra itself
    /// always reads and writes through <see cref="KeyInfra.EntityFrameworkCore.KeyInfraDbContext"/>; a host context
    /// that maps the same tables must not change their rows, or the engine's checks on them fail.
    /// </remarks>
    /// <param name="modelBuilder">The model to add to.</param>
    /// <returns><paramref name="modelBuilder"/>, for chaining.</returns>
    public static ModelBuilder ApplyKeyInfraModel(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        return modelBuilder
            .ApplyConfiguration(new AlgorithmConfiguration())
            .ApplyConfiguration(new CurveConfiguration())
            .ApplyConfiguration(new PublicKeyConfiguration())
            .ApplyConfiguration(new PrivateKeyConfiguration())
            .ApplyConfiguration(new MasterKeyConfiguration())
            .ApplyConfiguration(new MasterSecretSaltConfiguration())
            .ApplyConfiguration(new HsmModuleConfiguration())
            .ApplyConfiguration(new HsmSlotConfiguration())
            .ApplyConfiguration(new VerificationRecordConfiguration())
            .ApplyConfiguration(new BatchVerificationConfiguration())
            .ApplyConfiguration(new BatchVerificationItemConfiguration())
            .ApplyConfiguration(new VerificationLogDigestConfiguration())
            .ApplyConfiguration(new VerificationLogCheckpointConfiguration())
            .ApplyConfiguration(new ControlPlaneAuditConfiguration())
            .ApplyConfiguration(new DataPlaneAuditConfiguration())
            .ApplyConfiguration(new PermissionConfiguration())
            .ApplyConfiguration(new RoleConfiguration())
            .ApplyConfiguration(new RolePermissionConfiguration())
            .ApplyConfiguration(new ApplicationConfiguration())
            .ApplyConfiguration(new ApplicationRoleConfiguration())
            .ApplyConfiguration(new ApplicationCredentialConfiguration())
            .ApplyConfiguration(new UserConfiguration())
            .ApplyConfiguration(new UserRoleConfiguration())
            .ApplyConfiguration(new CertificateAuthorityConfiguration())
            .ApplyConfiguration(new CertificateConfiguration())
            .ApplyConfiguration(new CertificateSerialConfiguration())
            .ApplyConfiguration(new RevokedCertificateConfiguration())
            .ApplyConfiguration(new CertificateRevocationListConfiguration());
    }
}
