using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>certificate_serials</c>: its primary key (tenant, authority, serial) is what makes a serial unique per issuer.</summary>
internal sealed class CertificateSerialConfiguration : IEntityTypeConfiguration<CertificateSerialEntity>
{
    public void Configure(EntityTypeBuilder<CertificateSerialEntity> builder)
    {
        builder.ToTable("certificate_serials");
        builder.HasKey(e => new { e.TenantId, e.AuthorityId, e.SerialNumber }).HasName("pk_certificate_serials");
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.AuthorityId).HasColumnName("authority_id");
        builder.Property(e => e.SerialNumber).HasColumnName("serial_number").HasMaxLength(ColumnLengths.SerialNumber);
        builder.Property(e => e.CertificateId).HasColumnName("certificate_id");
        builder.HasOne<CertificateAuthorityEntity>().WithMany().HasForeignKey(e => new { e.TenantId, e.AuthorityId }).HasPrincipalKey(e => new { e.TenantId, e.Id })
            .OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_certificate_serials_authority");
        builder.HasIndex(e => e.CertificateId).IsUnique().HasDatabaseName("ux_certificate_serials_certificate_id");
    }
}
