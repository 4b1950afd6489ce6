using KeyInfra.EntityFrameworkCore.Entities;
using KeyInfra.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>algorithms</c> and seeds it; the ids are the <see cref="KeyAlgorithm"/> values.</summary>
internal sealed class AlgorithmConfiguration : IEntityTypeConfiguration<AlgorithmEntity>
{
    public void Configure(EntityTypeBuilder<AlgorithmEntity> builder)
    {
        builder.ToTable("algorithms");
        builder.HasKey(e => e.Id).HasName("pk_algorithms");
        builder.Property(e => e.Id).HasColumnName("id").HasConversion<short>().ValueGeneratedNever();
        builder.Property(e => e.Name).HasColumnName("name").HasMaxLength(ColumnLengths.ReferenceName).IsRequired();
        builder.HasIndex(e => e.Name).IsUnique().HasDatabaseName("ux_algorithms_name");

        builder.HasData(
            new AlgorithmEntity { Id = KeyAlgorithm.Ecdsa, Name = "ecdsa" },
            new AlgorithmEntity { Id = KeyAlgorithm.Rsa, Name = "rsa" },
            new AlgorithmEntity { Id = KeyAlgorithm.EdDsa, Name = "eddsa" });
    }
}
