using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>batch_verifications</c>; its items go with it (cascade).</summary>
internal sealed class BatchVerificationConfiguration : IEntityTypeConfiguration<BatchVerificationEntity>
{
    public void Configure(EntityTypeBuilder<BatchVerificationEntity> builder)
    {
        builder.ToTable("batch_verifications");
        builder.HasKey(e => e.Id).HasName("pk_batch_verifications");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.Caller).HasColumnName("caller").HasMaxLength(ColumnLengths.ShortText);
        builder.Property(e => e.CallerId).HasColumnName("caller_id").HasMaxLength(ColumnLengths.ShortText);
        builder.Property(e => e.StartedAt).HasColumnName("started_at").IsUtc();
        builder.Property(e => e.CompletedAt).HasColumnName("completed_at").IsUtc();
        builder.Property(e => e.TotalCount).HasColumnName("total_count");
        builder.Property(e => e.ValidCount).HasColumnName("valid_count");

        builder.HasMany(e => e.Items).WithOne().HasForeignKey(i => i.BatchId).OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_batch_verification_items_batch_id");

        builder.HasIndex(e => new { e.TenantId, e.StartedAt }).HasDatabaseName("ix_batch_verifications_tenant_id_started_at");
    }
}
