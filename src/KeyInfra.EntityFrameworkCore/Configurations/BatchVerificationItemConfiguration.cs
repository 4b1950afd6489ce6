using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>batch_verification_items</c>.</summary>
internal sealed class BatchVerificationItemConfiguration : IEntityTypeConfiguration<BatchVerificationItemEntity>
{
    public void Configure(EntityTypeBuilder<BatchVerificationItemEntity> builder)
    {
        builder.ToTable("batch_verification_items");
        builder.HasKey(e => e.Id).HasName("pk_batch_verification_items");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.BatchId).HasColumnName("batch_id");
        builder.Property(e => e.ItemIndex).HasColumnName("item_index");
        builder.Property(e => e.KeyId).HasColumnName("key_id");
        builder.Property(e => e.RequestedKeyId).HasColumnName("requested_key_id");
        builder.Property(e => e.Algorithm).HasColumnName("algorithm").HasMaxLength(ColumnLengths.Algorithm);
        builder.Property(e => e.Result).HasColumnName("result").IsText(StoredText.VerificationStatus);
        builder.Property(e => e.DocumentSha256).HasColumnName("document_sha256").HasMaxLength(ColumnLengths.Sha256).IsFixedLength().IsRequired();
        builder.Property(e => e.SignatureSha256).HasColumnName("signature_sha256").HasMaxLength(ColumnLengths.Sha256).IsFixedLength().IsRequired();
        builder.Property(e => e.VerifiedAt).HasColumnName("verified_at").IsUtc();
        builder.Property(e => e.Detail).HasColumnName("detail").HasMaxLength(ColumnLengths.ShortText);

        builder.HasOne<PublicKeyEntity>().WithMany().HasForeignKey(e => e.KeyId).OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_batch_verification_items_key_id");

        // Items are read in request order; the unique index is also the lookup by batch.
        builder.HasIndex(e => new { e.BatchId, e.ItemIndex }).IsUnique().HasDatabaseName("ux_batch_verification_items_batch_id_item_index");

        // Serves the foreign key to public_keys (deleting a key checks it).
        builder.HasIndex(e => e.KeyId).HasDatabaseName("ix_batch_verification_items_key_id");
    }
}
