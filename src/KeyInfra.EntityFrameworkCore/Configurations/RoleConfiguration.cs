using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>roles</c>: tenant-owned, keyed by tenant and name.</summary>
internal sealed class RoleConfiguration : IEntityTypeConfiguration<RoleEntity>
{
    public void Configure(EntityTypeBuilder<RoleEntity> builder)
    {
        builder.ToTable("roles");
        builder.HasKey(e => new { e.TenantId, e.Name }).HasName("pk_roles");
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.Name).HasColumnName("name").HasMaxLength(ColumnLengths.RoleName).IsRequired();
        builder.Property(e => e.Description).HasColumnName("description").HasMaxLength(ColumnLengths.ShortText);
        builder.Property(e => e.BuiltIn).HasColumnName("built_in");
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
    }
}
