using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;

namespace KeyInfra.EntityFrameworkCore;

/// <summary>
/// The EF Core context of KeyInfra's tables. A storage provider (<c>UseSqlite</c>, <c>UsePostgreSql</c>)
/// registers a pooled factory of it and ships the migrations; hosts do not use it directly.
/// </summary>
/// <remarks>
/// Like every <see cref="DbContext"/>, an instance is not thread-safe; KeyInfra's repositories create one
/// per operation from <see cref="IDbContextFactory{TContext}"/>.
/// </remarks>
public class KeyInfraDbContext : DbContext
{
    /// <summary>Creates the context with options built by a storage provider.</summary>
    public KeyInfraDbContext(DbContextOptions<KeyInfraDbContext> options)
        : base(options)
    {
    }

    internal DbSet<AlgorithmEntity> Algorithms => Set<AlgorithmEntity>();

    internal DbSet<CurveEntity> Curves => Set<CurveEntity>();

    internal DbSet<PublicKeyEntity> PublicKeys => Set<PublicKeyEntity>();

    internal DbSet<PrivateKeyEntity> PrivateKeys => Set<PrivateKeyEntity>();

    internal DbSet<MasterKeyEntity> MasterKeys => Set<MasterKeyEntity>();

    internal DbSet<MasterSecretSaltEntity> MasterSecretSalts => Set<MasterSecretSaltEntity>();

    internal DbSet<HsmModuleEntity> HsmModules => Set<HsmModuleEntity>();

    internal DbSet<HsmSlotEntity> HsmSlots => Set<HsmSlotEntity>();

    internal DbSet<VerificationRecordEntity> VerificationRecords => Set<VerificationRecordEntity>();

    internal DbSet<BatchVerificationEntity> BatchVerifications => Set<BatchVerificationEntity>();

    internal DbSet<BatchVerificationItemEntity> BatchVerificationItems => Set<BatchVerificationItemEntity>();

    internal DbSet<VerificationLogDigestEntity> VerificationLogDigests => Set<VerificationLogDigestEntity>();

    internal DbSet<VerificationLogCheckpointEntity> VerificationLogCheckpoints => Set<VerificationLogCheckpointEntity>();

    internal DbSet<ControlPlaneAuditEntity> ControlPlaneAudit => Set<ControlPlaneAuditEntity>();

    internal DbSet<DataPlaneAuditEntity> DataPlaneAudit => Set<DataPlaneAuditEntity>();

    internal DbSet<UserEntity> Users => Set<UserEntity>();

    internal DbSet<RoleEntity> Roles => Set<RoleEntity>();

    internal DbSet<RolePermissionEntity> RolePermissions => Set<RolePermissionEntity>();

    internal DbSet<UserRoleEntity> UserRoles => Set<UserRoleEntity>();

    internal DbSet<ApplicationEntity> Applications => Set<ApplicationEntity>();

    internal DbSet<ApplicationRoleEntity> ApplicationRoles => Set<ApplicationRoleEntity>();

    internal DbSet<ApplicationCredentialEntity> ApplicationCredentials => Set<ApplicationCredentialEntity>();

    internal DbSet<CertificateAuthorityEntity> CertificateAuthorities => Set<CertificateAuthorityEntity>();

    internal DbSet<CertificateEntity> Certificates => Set<CertificateEntity>();

    internal DbSet<CertificateSerialEntity> CertificateSerials => Set<CertificateSerialEntity>();

    internal DbSet<RevokedCertificateEntity> RevokedCertificates => Set<RevokedCertificateEntity>();

    internal DbSet<CertificateRevocationListEntity> CertificateRevocationLists => Set<CertificateRevocationListEntity>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyKeyInfraModel();
    }
}
