using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>
/// Maps <c>hsm_slots</c>: tenant-owned, names unique per tenant, exactly one of the token label and serial (a check
/// constraint), the module a foreign key that refuses the module's removal while a slot names it. The relationship from
/// <c>private_keys</c> (on tenant and slot id, restrict) is configured there.
/// </summary>
internal sealed class HsmSlotConfiguration : IEntityTypeConfiguration<HsmSlotEntity>
{
    public void Configure(EntityTypeBuilder<HsmSlotEntity> builder)
    {
        builder.ToTable("hsm_slots", t => t.HasCheckConstraint("ck_hsm_slots_token", "(token_label IS NULL) <> (token_serial IS NULL)"));
        builder.HasKey(e => e.Id).HasName("pk_hsm_slots");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.Name).HasColumnName("name").HasMaxLength(ColumnLengths.ShortText).IsRequired();
        builder.Property(e => e.ModuleId).HasColumnName("module_id");
        builder.Property(e => e.TokenLabel).HasColumnName("token_label").HasMaxLength(ColumnLengths.TokenLabel);
        builder.Property(e => e.TokenSerial).HasColumnName("token_serial").HasMaxLength(ColumnLengths.TokenSerial);
        builder.Property(e => e.EncryptedPin).HasColumnName("encrypted_pin").HasMaxLength(ColumnLengths.EncryptedPin).IsRequired();
        builder.Property(e => e.MasterKeyId).HasColumnName("master_key_id").HasMaxLength(ColumnLengths.MasterKeyId).IsRequired();
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at").IsUtc();

        // A private key names a slot of its own tenant: its foreign key takes both columns, so this pair must be unique
        // (it is, because id is); the constraint also serves listing a tenant's slots by id.
        builder.HasAlternateKey(e => new { e.TenantId, e.Id }).HasName("ak_hsm_slots_tenant_id_id");
        builder.HasIndex(e => new { e.TenantId, e.Name }).IsUnique().HasDatabaseName("ux_hsm_slots_tenant_id_name");

        builder.HasOne<HsmModuleEntity>().WithMany().HasForeignKey(e => e.ModuleId).OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_hsm_slots_module_id");
        builder.HasIndex(e => e.ModuleId).HasDatabaseName("ix_hsm_slots_module_id");

        // Which master keys are still in use, and which PINs a rotated master key wrapped.
        builder.HasIndex(e => e.MasterKeyId).HasDatabaseName("ix_hsm_slots_master_key_id");
    }
}
