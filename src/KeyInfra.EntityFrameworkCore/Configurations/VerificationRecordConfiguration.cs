using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>verification_records</c>.</summary>
internal sealed class VerificationRecordConfiguration : IEntityTypeConfiguration<VerificationRecordEntity>
{
    public void Configure(EntityTypeBuilder<VerificationRecordEntity> builder)
    {
        builder.ToTable("verification_records");
        builder.HasKey(e => e.Id).HasName("pk_verification_records");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.KeyId).HasColumnName("key_id");
        builder.Property(e => e.RequestedKeyId).HasColumnName("requested_key_id");
        builder.Property(e => e.Algorithm).HasColumnName("algorithm").HasMaxLength(ColumnLengths.Algorithm);
        builder.Property(e => e.Result).HasColumnName("result").IsText(StoredText.VerificationStatus);
        builder.Property(e => e.DocumentSha256).HasColumnName("document_sha256").HasMaxLength(ColumnLengths.Sha256).IsFixedLength().IsRequired();
        builder.Property(e => e.SignatureSha256).HasColumnName("signature_sha256").HasMaxLength(ColumnLengths.Sha256).IsFixedLength().IsRequired();
        builder.Property(e => e.VerifiedAt).HasColumnName("verified_at").IsUtc();
        builder.Property(e => e.Caller).HasColumnName("caller").HasMaxLength(ColumnLengths.ShortText);
        builder.Property(e => e.CallerId).HasColumnName("caller_id").HasMaxLength(ColumnLengths.ShortText);
        builder.Property(e => e.Detail).HasColumnName("detail").HasMaxLength(ColumnLengths.ShortText);

        // A used key cannot be deleted: its records must stay explainable.
        builder.HasOne<PublicKeyEntity>().WithMany().HasForeignKey(e => e.KeyId).OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_verification_records_key_id");

        // The log is read newest first, for a tenant, optionally for one key id. The key filter is on the
        // requested id, so it also finds the attempts made while the key did not exist.
        builder.HasIndex(e => new { e.TenantId, e.VerifiedAt }).HasDatabaseName("ix_verification_records_tenant_id_verified_at");
        builder.HasIndex(e => new { e.TenantId, e.RequestedKeyId, e.VerifiedAt }).HasDatabaseName("ix_verification_records_tenant_id_requested_key_id_verified_at");

        // Serves the foreign key: without it, deleting a key scans the whole log.
        builder.HasIndex(e => e.KeyId).HasDatabaseName("ix_verification_records_key_id");
    }
}
