using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>data_plane_audit</c> (append-only; on PostgreSQL partitioned by month of <c>occurred_at</c>).</summary>
internal sealed class DataPlaneAuditConfiguration : IEntityTypeConfiguration<DataPlaneAuditEntity>
{
    public void Configure(EntityTypeBuilder<DataPlaneAuditEntity> builder)
    {
        builder.ToTable("data_plane_audit");
        builder.HasKey(e => e.Id).HasName("pk_data_plane_audit");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at").IsUtc();
        builder.Property(e => e.ActorType).HasColumnName("actor_type").HasMaxLength(ColumnLengths.AuditKind).IsRequired();
        builder.Property(e => e.ActorId).HasColumnName("actor_id").HasMaxLength(ColumnLengths.ShortText);
        builder.Property(e => e.ActorIp).HasColumnName("actor_ip").HasMaxLength(ColumnLengths.NetworkAddress);
        builder.Property(e => e.RequestId).HasColumnName("request_id").HasMaxLength(ColumnLengths.ShortText);
        builder.Property(e => e.Action).HasColumnName("action").HasMaxLength(ColumnLengths.AuditAction).IsRequired();
        builder.Property(e => e.Decision).HasColumnName("decision").HasMaxLength(ColumnLengths.AuditKind).IsRequired();
        builder.Property(e => e.Reason).HasColumnName("reason").HasMaxLength(ColumnLengths.AuditReason);
        builder.Property(e => e.KeyId).HasColumnName("key_id");

        builder.HasIndex(e => new { e.TenantId, e.OccurredAt }).HasDatabaseName("ix_data_plane_audit_tenant_id_occurred_at");
        builder.HasIndex(e => new { e.TenantId, e.KeyId, e.OccurredAt }).HasDatabaseName("ix_data_plane_audit_tenant_id_key_id_occurred_at");
    }
}
