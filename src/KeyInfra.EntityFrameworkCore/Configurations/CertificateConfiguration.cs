using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>
/// Maps <c>certificates</c>. No foreign key points at it and it points at none but its authority: on PostgreSQL it is
/// partitioned by month of <c>not_after</c> (a migration rebuilds it so), where a primary key must include the partition
/// column and a partition is dropped whole by the retention job. Serial numbers are unique through
/// <c>certificate_serials</c>. The expiring-soon query and the owner's listing are served by the two indexes on
/// <c>not_after</c>.
/// </summary>
internal sealed class CertificateConfiguration : IEntityTypeConfiguration<CertificateEntity>
{
    public void Configure(EntityTypeBuilder<CertificateEntity> builder)
    {
        builder.ToTable("certificates");
        builder.HasKey(e => e.Id).HasName("pk_certificates");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.AuthorityId).HasColumnName("authority_id");
        builder.Property(e => e.SerialNumber).HasColumnName("serial_number").HasMaxLength(ColumnLengths.SerialNumber).IsRequired();
        builder.Property(e => e.Owner).HasColumnName("owner").HasMaxLength(ColumnLengths.ShortText).IsRequired();
        builder.Property(e => e.Subject).HasColumnName("subject").HasMaxLength(ColumnLengths.DistinguishedName).IsRequired();
        builder.Property(e => e.SubjectAlternativeNames).HasColumnName("subject_alternative_names").HasMaxLength(ColumnLengths.SubjectAlternativeNames).IsRequired();
        builder.Property(e => e.NotBefore).HasColumnName("not_before").IsUtc();
        builder.Property(e => e.NotAfter).HasColumnName("not_after").IsUtc();
        builder.Property(e => e.Status).HasColumnName("status").HasMaxLength(ColumnLengths.ReferenceName).IsText(StoredText.CertificateStatus);
        builder.Property(e => e.Version).HasColumnName("version");
        builder.Property(e => e.PreviousId).HasColumnName("previous_id");
        builder.Property(e => e.RenewedAt).HasColumnName("renewed_at").IsUtc();
        builder.Property(e => e.RenewedBy).HasColumnName("renewed_by").HasMaxLength(ColumnLengths.ShortText);
        builder.Property(e => e.RenewedById).HasColumnName("renewed_by_id");
        builder.Property(e => e.ProfileName).HasColumnName("profile_name").HasMaxLength(ColumnLengths.RoleName).IsRequired();
        builder.Property(e => e.KeyId).HasColumnName("key_id");
        builder.Property(e => e.Der).HasColumnName("der").HasMaxLength(ColumnLengths.Certificate).IsRequired();
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
        builder.Property(e => e.RowMac).HasColumnName("row_mac").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.RowMacMasterKeyId).HasColumnName("row_mac_master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);

        builder.HasIndex(e => new { e.TenantId, e.NotAfter }).HasFilter("status = 'active'").HasDatabaseName("ix_certificates_active_tenant_id_not_after");
        builder.HasIndex(e => new { e.TenantId, e.Owner, e.NotAfter }).HasFilter("status = 'active'").HasDatabaseName("ix_certificates_active_tenant_id_owner_not_after");
        builder.HasIndex(e => new { e.TenantId, e.Owner, e.Id }).HasDatabaseName("ix_certificates_tenant_id_owner_id");
        builder.HasIndex(e => new { e.TenantId, e.AuthorityId, e.Id }).HasDatabaseName("ix_certificates_tenant_id_authority_id_id");
        builder.HasIndex(e => e.RowMacMasterKeyId).HasDatabaseName("ix_certificates_row_mac_master_key_id");
    }
}
