using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>role_permissions</c>: a grant goes with its role (cascade); a permission in use cannot be removed (restrict).</summary>
internal sealed class RolePermissionConfiguration : IEntityTypeConfiguration<RolePermissionEntity>
{
    public void Configure(EntityTypeBuilder<RolePermissionEntity> builder)
    {
        builder.ToTable("role_permissions");
        builder.HasKey(e => new { e.TenantId, e.Role, e.Permission }).HasName("pk_role_permissions");
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.Role).HasColumnName("role").HasMaxLength(ColumnLengths.RoleName).IsRequired();
        builder.Property(e => e.Permission).HasColumnName("permission").HasMaxLength(ColumnLengths.RoleName).IsRequired();
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
        builder.Property(e => e.RowMac).HasColumnName("row_mac").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.RowMacMasterKeyId).HasColumnName("row_mac_master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);
        builder.HasOne<RoleEntity>().WithMany().HasForeignKey(e => new { e.TenantId, e.Role }).OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_role_permissions_tenant_id_role");
        builder.HasOne<PermissionEntity>().WithMany().HasForeignKey(e => e.Permission).OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_role_permissions_permission");
        builder.HasIndex(e => e.Permission).HasDatabaseName("ix_role_permissions_permission");
        builder.HasIndex(e => e.RowMacMasterKeyId).HasDatabaseName("ix_role_permissions_row_mac_master_key_id");
    }
}
