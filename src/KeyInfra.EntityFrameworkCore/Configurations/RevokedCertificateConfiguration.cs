using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>revoked_certificates</c>: one row per revoked certificate, its serial a foreign key into <c>certificate_serials</c>.</summary>
internal sealed class RevokedCertificateConfiguration : IEntityTypeConfiguration<RevokedCertificateEntity>
{
    public void Configure(EntityTypeBuilder<RevokedCertificateEntity> builder)
    {
        builder.ToTable("revoked_certificates");
        builder.HasKey(e => e.CertificateId).HasName("pk_revoked_certificates");
        builder.Property(e => e.CertificateId).HasColumnName("certificate_id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.AuthorityId).HasColumnName("authority_id");
        builder.Property(e => e.SerialNumber).HasColumnName("serial_number").HasMaxLength(ColumnLengths.SerialNumber).IsRequired();
        builder.Property(e => e.Reason).HasColumnName("reason").HasMaxLength(ColumnLengths.ReferenceName).IsText(StoredText.CertificateRevocationReason);
        builder.Property(e => e.RevokedAt).HasColumnName("revoked_at").IsUtc();
        builder.Property(e => e.RevokedBy).HasColumnName("revoked_by").HasMaxLength(ColumnLengths.ShortText).IsRequired();
        builder.Property(e => e.RowMac).HasColumnName("row_mac").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.RowMacMasterKeyId).HasColumnName("row_mac_master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);
        builder.HasOne<CertificateSerialEntity>().WithMany().HasForeignKey(e => new { e.TenantId, e.AuthorityId, e.SerialNumber })
            .OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_revoked_certificates_serial");
        builder.HasIndex(e => new { e.TenantId, e.AuthorityId, e.RevokedAt }).HasDatabaseName("ix_revoked_certificates_tenant_id_authority_id_revoked_at");
        builder.HasIndex(e => e.RowMacMasterKeyId).HasDatabaseName("ix_revoked_certificates_row_mac_master_key_id");
    }
}
