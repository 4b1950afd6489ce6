using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>
/// Maps <c>private_keys</c>; the relationship to <c>public_keys</c> (on tenant and key id, cascade) is configured there,
/// the one to <c>hsm_slots</c> (on tenant and slot id, restrict) here.
/// </summary>
internal sealed class PrivateKeyConfiguration : IEntityTypeConfiguration<PrivateKeyEntity>
{
    public void Configure(EntityTypeBuilder<PrivateKeyEntity> builder)
    {
        builder.ToTable("private_keys");
        builder.HasKey(e => e.KeyId).HasName("pk_private_keys");
        builder.Property(e => e.KeyId).HasColumnName("key_id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.Backend).HasColumnName("backend").HasMaxLength(ColumnLengths.BackendName).IsRequired().HasDefaultValue("software");
        builder.Property(e => e.Protection).HasColumnName("protection").IsText(StoredText.Protection);
        builder.Property(e => e.KeyMaterial).HasColumnName("key_material").IsRequired();
        builder.Property(e => e.MasterKeyId).HasColumnName("master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);
        builder.Property(e => e.HsmSlotId).HasColumnName("hsm_slot_id");
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at").IsUtc();

        // The composite foreign key's index (one private key per public key, as the primary key says already).
        builder.HasIndex(e => new { e.TenantId, e.KeyId }).IsUnique().HasDatabaseName("ux_private_keys_tenant_id_key_id");

        // A key held in a token names a slot of its own tenant (the foreign key takes both columns, so a writer cannot point
        // one tenant's key at another tenant's slot), and a slot is not removed while a key names it. A null slot id
        // (a software key) is not checked.
        builder.HasOne<HsmSlotEntity>().WithMany()
            .HasForeignKey(p => new { p.TenantId, p.HsmSlotId })
            .HasPrincipalKey(s => new { s.TenantId, s.Id })
            .OnDelete(DeleteBehavior.Restrict)
            .HasConstraintName("fk_private_keys_tenant_id_hsm_slot_id");
        builder.HasIndex(e => new { e.TenantId, e.HsmSlotId }).HasDatabaseName("ix_private_keys_tenant_id_hsm_slot_id");

        // Which master keys are still in use, and which keys a rotated master key wrapped.
        builder.HasIndex(e => e.MasterKeyId).HasDatabaseName("ix_private_keys_master_key_id");
    }
}
