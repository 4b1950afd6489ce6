using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>master_keys</c>.</summary>
internal sealed class MasterKeyConfiguration : IEntityTypeConfiguration<MasterKeyEntity>
{
    public void Configure(EntityTypeBuilder<MasterKeyEntity> builder)
    {
        builder.ToTable("master_keys");
        builder.HasKey(e => e.Id).HasName("pk_master_keys");
        builder.Property(e => e.Id).HasColumnName("id").HasMaxLength(ColumnLengths.MasterKeyId).ValueGeneratedNever();
        builder.Property(e => e.CheckValue).HasColumnName("check_value").IsRequired();
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
    }
}
