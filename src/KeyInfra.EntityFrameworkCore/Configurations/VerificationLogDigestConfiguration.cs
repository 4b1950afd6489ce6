using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>verification_log_digests</c>: append-only, like the log it authenticates.</summary>
internal sealed class VerificationLogDigestConfiguration : IEntityTypeConfiguration<VerificationLogDigestEntity>
{
    public void Configure(EntityTypeBuilder<VerificationLogDigestEntity> builder)
    {
        builder.ToTable("verification_log_digests");
        builder.HasKey(e => new { e.ChainId, e.TenantId, e.Sequence }).HasName("pk_verification_log_digests");
        builder.Property(e => e.ChainId).HasColumnName("chain_id");
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.Sequence).HasColumnName("sequence").ValueGeneratedNever();
        builder.Property(e => e.CommittedAt).HasColumnName("committed_at").IsUtc();
        builder.Property(e => e.FirstEntryAt).HasColumnName("first_entry_at").IsUtc();
        builder.Property(e => e.MasterKeyId).HasColumnName("master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);
        builder.Property(e => e.EntryCount).HasColumnName("entry_count");
        builder.Property(e => e.Manifest).HasColumnName("manifest").IsRequired();
        builder.Property(e => e.PreviousDigest).HasColumnName("previous_digest").HasMaxLength(ColumnLengths.Sha256).IsFixedLength().IsRequired();
        builder.Property(e => e.Digest).HasColumnName("digest").HasMaxLength(ColumnLengths.Sha256).IsFixedLength().IsRequired();
        builder.Property(e => e.RewrapMasterKeyId).HasColumnName("rewrap_master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);
        builder.Property(e => e.RewrapMac).HasColumnName("rewrap_mac").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();

        // log verify reads a tenant's groups by commit time.
        builder.HasIndex(e => new { e.TenantId, e.CommittedAt }).HasDatabaseName("ix_verification_log_digests_tenant_id_committed_at");
    }
}
