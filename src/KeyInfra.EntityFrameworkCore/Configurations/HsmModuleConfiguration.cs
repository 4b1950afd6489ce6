using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>hsm_modules</c>: global (no tenant), names unique.</summary>
internal sealed class HsmModuleConfiguration : IEntityTypeConfiguration<HsmModuleEntity>
{
    public void Configure(EntityTypeBuilder<HsmModuleEntity> builder)
    {
        builder.ToTable("hsm_modules");
        builder.HasKey(e => e.Id).HasName("pk_hsm_modules");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.Name).HasColumnName("name").HasMaxLength(ColumnLengths.ShortText).IsRequired();
        builder.Property(e => e.LibraryPath).HasColumnName("library_path").HasMaxLength(ColumnLengths.LibraryPath).IsRequired();
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();

        builder.HasIndex(e => e.Name).IsUnique().HasDatabaseName("ux_hsm_modules_name");
    }
}
