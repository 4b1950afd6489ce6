using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>master_secret_salts</c>: one row, its id fixed by a check constraint.</summary>
internal sealed class MasterSecretSaltConfiguration : IEntityTypeConfiguration<MasterSecretSaltEntity>
{
    public void Configure(EntityTypeBuilder<MasterSecretSaltEntity> builder)
    {
        builder.ToTable("master_secret_salts", t => t.HasCheckConstraint("ck_master_secret_salts_singleton", "id = 1"));
        builder.HasKey(e => e.Id).HasName("pk_master_secret_salts");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.Algorithm).HasColumnName("algorithm").HasMaxLength(ColumnLengths.ReferenceName).IsRequired();
        builder.Property(e => e.Salt).HasColumnName("salt").IsRequired();
        builder.Property(e => e.MemoryKib).HasColumnName("memory_kib");
        builder.Property(e => e.Iterations).HasColumnName("iterations");
        builder.Property(e => e.Parallelism).HasColumnName("parallelism");
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
    }
}
