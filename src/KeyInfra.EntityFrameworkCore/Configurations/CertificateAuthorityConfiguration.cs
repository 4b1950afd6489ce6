using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>
/// Maps <c>certificate_authorities</c>: tenant-owned, names unique per tenant, the signing key a foreign key into
/// <c>public_keys</c> that refuses the key's deletion while an authority uses it, the parent another authority.
/// </summary>
internal sealed class CertificateAuthorityConfiguration : IEntityTypeConfiguration<CertificateAuthorityEntity>
{
    public void Configure(EntityTypeBuilder<CertificateAuthorityEntity> builder)
    {
        builder.ToTable("certificate_authorities");
        builder.HasKey(e => e.Id).HasName("pk_certificate_authorities");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.Name).HasColumnName("name").HasMaxLength(ColumnLengths.ShortText).IsRequired();
        builder.Property(e => e.KeyId).HasColumnName("key_id");
        builder.Property(e => e.ParentId).HasColumnName("parent_id");
        builder.Property(e => e.ProfileName).HasColumnName("profile_name").HasMaxLength(ColumnLengths.RoleName).IsRequired();
        builder.Property(e => e.CertificateDer).HasColumnName("certificate_der").HasMaxLength(ColumnLengths.Certificate).IsRequired();
        builder.Property(e => e.NotAfter).HasColumnName("not_after").IsUtc();
        builder.Property(e => e.CrlDistributionPoint).HasColumnName("crl_distribution_point").HasMaxLength(ColumnLengths.Url);
        builder.Property(e => e.CrlNumber).HasColumnName("crl_number");
        builder.Property(e => e.LastCrlSha256).HasColumnName("last_crl_sha256").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.NextCrlDue).HasColumnName("next_crl_due").IsUtc();
        builder.Property(e => e.Version).HasColumnName("version");
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
        builder.Property(e => e.RowMac).HasColumnName("row_mac").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.RowMacMasterKeyId).HasColumnName("row_mac_master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);

        builder.HasAlternateKey(e => new { e.TenantId, e.Id }).HasName("ak_certificate_authorities_tenant_id_id");
        builder.HasIndex(e => new { e.TenantId, e.Name }).IsUnique().HasDatabaseName("ux_certificate_authorities_tenant_id_name");
        builder.HasOne<PublicKeyEntity>().WithMany().HasForeignKey(e => e.KeyId).OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_certificate_authorities_key_id");
        builder.HasIndex(e => e.KeyId).IsUnique().HasDatabaseName("ux_certificate_authorities_key_id");
        builder.HasOne<CertificateAuthorityEntity>().WithMany().HasForeignKey(e => new { e.TenantId, e.ParentId }).HasPrincipalKey(e => new { e.TenantId, e.Id })
            .OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_certificate_authorities_parent");
        builder.HasIndex(e => new { e.TenantId, e.ParentId }).HasDatabaseName("ix_certificate_authorities_tenant_id_parent_id");
        builder.HasIndex(e => e.RowMacMasterKeyId).HasDatabaseName("ix_certificate_authorities_row_mac_master_key_id");
    }
}
