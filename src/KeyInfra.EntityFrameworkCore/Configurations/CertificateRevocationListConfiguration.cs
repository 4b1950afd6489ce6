using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>certificate_revocation_lists</c>: every CRL an authority published, by number, as DER.</summary>
internal sealed class CertificateRevocationListConfiguration : IEntityTypeConfiguration<CertificateRevocationListEntity>
{
    public void Configure(EntityTypeBuilder<CertificateRevocationListEntity> builder)
    {
        builder.ToTable("certificate_revocation_lists");
        builder.HasKey(e => new { e.TenantId, e.AuthorityId, e.Number }).HasName("pk_certificate_revocation_lists");
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.AuthorityId).HasColumnName("authority_id");
        builder.Property(e => e.Number).HasColumnName("number");
        builder.Property(e => e.ThisUpdate).HasColumnName("this_update").IsUtc();
        builder.Property(e => e.NextUpdate).HasColumnName("next_update").IsUtc();
        builder.Property(e => e.Der).HasColumnName("der").HasMaxLength(ColumnLengths.RevocationList).IsRequired();
        builder.HasOne<CertificateAuthorityEntity>().WithMany().HasForeignKey(e => new { e.TenantId, e.AuthorityId }).HasPrincipalKey(e => new { e.TenantId, e.Id })
            .OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_certificate_revocation_lists_authority");
    }
}
