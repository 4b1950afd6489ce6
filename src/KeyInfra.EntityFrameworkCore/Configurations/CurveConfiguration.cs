using KeyInfra.EntityFrameworkCore.Entities;
using KeyInfra.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>curves</c> and seeds it; the ids are the <see cref="KeyCurve"/> values.</summary>
internal sealed class CurveConfiguration : IEntityTypeConfiguration<CurveEntity>
{
    public void Configure(EntityTypeBuilder<CurveEntity> builder)
    {
        builder.ToTable("curves");
        builder.HasKey(e => e.Id).HasName("pk_curves");
        builder.Property(e => e.Id).HasColumnName("id").HasConversion<short>().ValueGeneratedNever();
        builder.Property(e => e.Name).HasColumnName("name").HasMaxLength(ColumnLengths.ReferenceName).IsRequired();
        builder.Property(e => e.AlgorithmId).HasColumnName("algorithm_id").HasConversion<short>();
        builder.Property(e => e.Status).HasColumnName("status").HasMaxLength(ColumnLengths.AuditKind).IsRequired().HasDefaultValue("enabled");
        builder.Property(e => e.Version).HasColumnName("version").HasDefaultValue(0L);
        builder.Property(e => e.RowMac).HasColumnName("row_mac").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.RowMacMasterKeyId).HasColumnName("row_mac_master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);
        builder.HasIndex(e => e.Name).IsUnique().HasDatabaseName("ux_curves_name");
        builder.HasIndex(e => e.AlgorithmId).HasDatabaseName("ix_curves_algorithm_id");
        builder.HasOne<AlgorithmEntity>().WithMany().HasForeignKey(e => e.AlgorithmId).OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_curves_algorithm_id");

        builder.HasData(
            new CurveEntity { Id = KeyCurve.P256, Name = "p-256", AlgorithmId = KeyAlgorithm.Ecdsa },
            new CurveEntity { Id = KeyCurve.P384, Name = "p-384", AlgorithmId = KeyAlgorithm.Ecdsa },
            new CurveEntity { Id = KeyCurve.P521, Name = "p-521", AlgorithmId = KeyAlgorithm.Ecdsa },
            new CurveEntity { Id = KeyCurve.Secp256k1, Name = "secp256k1", AlgorithmId = KeyAlgorithm.Ecdsa },
            new CurveEntity { Id = KeyCurve.Ed25519, Name = "ed25519", AlgorithmId = KeyAlgorithm.EdDsa });
    }
}
