using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>applications</c>: tenant-owned, names unique per tenant, the HSM slot a foreign key of the same tenant (restrict).</summary>
internal sealed class ApplicationConfiguration : IEntityTypeConfiguration<ApplicationEntity>
{
    public void Configure(EntityTypeBuilder<ApplicationEntity> builder)
    {
        builder.ToTable("applications", t => t.HasCheckConstraint("ck_applications_status", "status IN (1, 2)"));
        builder.HasKey(e => e.Id).HasName("pk_applications");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.Name).HasColumnName("name").HasMaxLength(ColumnLengths.ShortText).IsRequired();
        builder.Property(e => e.Description).HasColumnName("description").HasMaxLength(ColumnLengths.ShortText);
        builder.Property(e => e.HsmSlotId).HasColumnName("hsm_slot_id");
        builder.Property(e => e.Status).HasColumnName("status");
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at").IsUtc();
        builder.Property(e => e.Version).HasColumnName("version");
        builder.Property(e => e.RowMac).HasColumnName("row_mac").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.RowMacMasterKeyId).HasColumnName("row_mac_master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);
        builder.HasAlternateKey(e => new { e.TenantId, e.Id }).HasName("ak_applications_tenant_id_id");
        builder.HasIndex(e => new { e.TenantId, e.Name }).IsUnique().HasDatabaseName("ux_applications_tenant_id_name");
        builder.HasIndex(e => new { e.TenantId, e.HsmSlotId }).HasDatabaseName("ix_applications_tenant_id_hsm_slot_id");
        builder.HasOne<HsmSlotEntity>().WithMany().HasForeignKey(e => new { e.TenantId, e.HsmSlotId }).HasPrincipalKey(s => new { s.TenantId, s.Id })
            .OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_applications_tenant_id_hsm_slot_id");
        builder.HasIndex(e => e.RowMacMasterKeyId).HasDatabaseName("ix_applications_row_mac_master_key_id");
    }
}
