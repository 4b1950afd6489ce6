using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>public_keys</c>.</summary>
internal sealed class PublicKeyConfiguration : IEntityTypeConfiguration<PublicKeyEntity>
{
    public void Configure(EntityTypeBuilder<PublicKeyEntity> builder)
    {
        builder.ToTable("public_keys");
        builder.HasKey(e => e.Id).HasName("pk_public_keys");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.Name).HasColumnName("name").HasMaxLength(ColumnLengths.ShortText).IsRequired();
        builder.Property(e => e.AlgorithmId).HasColumnName("algorithm_id").HasConversion<short>();
        builder.Property(e => e.CurveId).HasColumnName("curve_id").HasConversion<short?>();
        builder.Property(e => e.KeySizeBits).HasColumnName("key_size_bits");
        builder.Property(e => e.KeyData).HasColumnName("key_data").IsRequired();
        builder.Property(e => e.KeyFormat).HasColumnName("key_format").IsText(StoredText.KeyFormat);
        builder.Property(e => e.Status).HasColumnName("status").IsText(StoredText.KeyStatus);
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at").IsUtc();
        builder.Property(e => e.ExpiresAt).HasColumnName("expires_at").IsUtc();
        builder.Property(e => e.RevokedAt).HasColumnName("revoked_at").IsUtc();
        builder.Property(e => e.RevocationReason).HasColumnName("revocation_reason").IsText(StoredText.RevocationReason);
        builder.Property(e => e.RingName).HasColumnName("ring_name").HasMaxLength(ColumnLengths.ShortText);
        builder.Property(e => e.RingVersion).HasColumnName("ring_version");
        builder.Property(e => e.Owner).HasColumnName("owner").HasMaxLength(ColumnLengths.ShortText);
        builder.Property(e => e.Metadata).HasColumnName("metadata").HasMaxLength(ColumnLengths.Metadata).IsRequired();
        builder.Property(e => e.DefaultSignatureEncoding).HasColumnName("default_signature_encoding").IsText(StoredText.SignatureEncoding);
        builder.Property(e => e.DefaultRsaPadding).HasColumnName("default_rsa_padding").IsText(StoredText.RsaPadding);
        builder.Property(e => e.DefaultPssSaltLength).HasColumnName("default_pss_salt_length");
        builder.Property(e => e.RequireLowS).HasColumnName("require_low_s").HasDefaultValue(false);
        builder.Property(e => e.SpkiSha256).HasColumnName("spki_sha256").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.JwkThumbprint).HasColumnName("jwk_thumbprint").HasMaxLength(ColumnLengths.JwkThumbprint);
        builder.Property(e => e.Version).HasColumnName("version").HasDefaultValue(1L);
        builder.Property(e => e.RowMac).HasColumnName("row_mac").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.RowMacMasterKeyId).HasColumnName("row_mac_master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);

        builder.HasOne<AlgorithmEntity>().WithMany().HasForeignKey(e => e.AlgorithmId).OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_public_keys_algorithm_id");
        builder.HasOne<CurveEntity>().WithMany().HasForeignKey(e => e.CurveId).OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_public_keys_curve_id");
        // A private key belongs to its public key's tenant: the foreign key takes both columns, so a row cannot pair one
        // tenant's private key with another tenant's public key. (tenant_id, id) is unique because id is; the constraint
        // also serves listing a tenant's keys, keyset-paged by id.
        builder.HasAlternateKey(e => new { e.TenantId, e.Id }).HasName("ak_public_keys_tenant_id_id");
        builder.HasOne(e => e.PrivateKey).WithOne()
            .HasForeignKey<PrivateKeyEntity>(p => new { p.TenantId, p.KeyId })
            .HasPrincipalKey<PublicKeyEntity>(e => new { e.TenantId, e.Id })
            .OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_private_keys_tenant_id_key_id");

        // Listing by status (active keys above all) pages by id too; a filtered index would not serve a
        // status given as a parameter, so the index covers every status.
        builder.HasIndex(e => new { e.TenantId, e.Status, e.Id }).HasDatabaseName("ix_public_keys_tenant_id_status_id");

        // One key per ring version; it also serves "newest version of a ring" (descending scan).
        builder.HasIndex(e => new { e.TenantId, e.RingName, e.RingVersion })
            .IsUnique()
            .HasFilter("ring_name IS NOT NULL")
            .HasDatabaseName("ux_public_keys_tenant_id_ring_name_ring_version");

        // Finding a key by its public key (and an import that returns the existing key instead of a duplicate).
        builder.HasIndex(e => new { e.TenantId, e.SpkiSha256 }).HasDatabaseName("ix_public_keys_tenant_id_spki_sha256");
        builder.HasIndex(e => new { e.TenantId, e.JwkThumbprint }).HasDatabaseName("ix_public_keys_tenant_id_jwk_thumbprint");

        builder.HasIndex(e => e.AlgorithmId).HasDatabaseName("ix_public_keys_algorithm_id");
        builder.HasIndex(e => e.CurveId).HasDatabaseName("ix_public_keys_curve_id");
    }
}
