using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>user_roles</c>: goes with its user and with its role (cascade).</summary>
internal sealed class UserRoleConfiguration : IEntityTypeConfiguration<UserRoleEntity>
{
    public void Configure(EntityTypeBuilder<UserRoleEntity> builder)
    {
        builder.ToTable("user_roles");
        builder.HasKey(e => new { e.TenantId, e.UserId, e.Role }).HasName("pk_user_roles");
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.UserId).HasColumnName("user_id");
        builder.Property(e => e.Role).HasColumnName("role").HasMaxLength(ColumnLengths.RoleName).IsRequired();
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
        builder.Property(e => e.RowMac).HasColumnName("row_mac").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.RowMacMasterKeyId).HasColumnName("row_mac_master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);
        builder.HasOne<UserEntity>().WithMany().HasForeignKey(e => new { e.TenantId, e.UserId }).HasPrincipalKey(u => new { u.TenantId, u.Id })
            .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_user_roles_tenant_id_user_id");
        builder.HasOne<RoleEntity>().WithMany().HasForeignKey(e => new { e.TenantId, e.Role }).OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_user_roles_tenant_id_role");
        builder.HasIndex(e => new { e.TenantId, e.Role }).HasDatabaseName("ix_user_roles_tenant_id_role");
        builder.HasIndex(e => e.RowMacMasterKeyId).HasDatabaseName("ix_user_roles_row_mac_master_key_id");
    }
}
