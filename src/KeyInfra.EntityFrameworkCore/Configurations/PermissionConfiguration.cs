using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>permissions</c> and seeds it with <see cref="Authorization.KeyInfraPermissions.All"/>.</summary>
internal sealed class PermissionConfiguration : IEntityTypeConfiguration<PermissionEntity>
{
    public void Configure(EntityTypeBuilder<PermissionEntity> builder)
    {
        builder.ToTable("permissions");
        builder.HasKey(e => e.Name).HasName("pk_permissions");
        builder.Property(e => e.Name).HasColumnName("name").HasMaxLength(ColumnLengths.RoleName).IsRequired();
        builder.Property(e => e.Description).HasColumnName("description").HasMaxLength(ColumnLengths.ShortText).IsRequired();
        builder.HasData(
            new PermissionEntity { Name = "manage_users", Description = "Add, change and remove users, roles, applications and credentials." },
            new PermissionEntity { Name = "manage_curves", Description = "Enable and disable curves." },
            new PermissionEntity { Name = "verify_signatures", Description = "Verify signatures." },
            new PermissionEntity { Name = "manage_public_keys", Description = "Create, import, read, list, rotate, revoke, expire, delete and export keys." },
            new PermissionEntity { Name = "sign", Description = "Sign with a stored private key." },
            new PermissionEntity { Name = "manage_hsm", Description = "Add and remove PKCS#11 modules and HSM slots." },
            new PermissionEntity { Name = "read_log", Description = "Read the verification log." },
            new PermissionEntity { Name = "manage_certificates", Description = "Issue, revoke and read certificates and CRLs." },
            new PermissionEntity { Name = "read_audit", Description = "Read the control-plane and data-plane audit logs." });
    }
}
