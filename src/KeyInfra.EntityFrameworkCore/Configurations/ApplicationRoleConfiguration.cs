using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>application_roles</c>: goes with its application and with its role (cascade).</summary>
internal sealed class ApplicationRoleConfiguration : IEntityTypeConfiguration<ApplicationRoleEntity>
{
    public void Configure(EntityTypeBuilder<ApplicationRoleEntity> builder)
    {
        builder.ToTable("application_roles");
        builder.HasKey(e => new { e.TenantId, e.ApplicationId, e.Role }).HasName("pk_application_roles");
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.ApplicationId).HasColumnName("application_id");
        builder.Property(e => e.Role).HasColumnName("role").HasMaxLength(ColumnLengths.RoleName).IsRequired();
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
        builder.Property(e => e.RowMac).HasColumnName("row_mac").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.RowMacMasterKeyId).HasColumnName("row_mac_master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);
        builder.HasOne<ApplicationEntity>().WithMany().HasForeignKey(e => new { e.TenantId, e.ApplicationId }).HasPrincipalKey(a => new { a.TenantId, a.Id })
            .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_application_roles_tenant_id_application_id");
        builder.HasOne<RoleEntity>().WithMany().HasForeignKey(e => new { e.TenantId, e.Role }).OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_application_roles_tenant_id_role");
        builder.HasIndex(e => new { e.TenantId, e.Role }).HasDatabaseName("ix_application_roles_tenant_id_role");
        builder.HasIndex(e => e.RowMacMasterKeyId).HasDatabaseName("ix_application_roles_row_mac_master_key_id");
    }
}
