using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Maps <c>application_credentials</c>: client ids unique per tenant; a credential goes with its application (cascade).</summary>
internal sealed class ApplicationCredentialConfiguration : IEntityTypeConfiguration<ApplicationCredentialEntity>
{
    public void Configure(EntityTypeBuilder<ApplicationCredentialEntity> builder)
    {
        builder.ToTable("application_credentials");
        builder.HasKey(e => e.Id).HasName("pk_application_credentials");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.ApplicationId).HasColumnName("application_id");
        builder.Property(e => e.ClientId).HasColumnName("client_id").HasMaxLength(ColumnLengths.ShortText).IsRequired();
        builder.Property(e => e.SecretHash).HasColumnName("secret_hash").HasMaxLength(ColumnLengths.CredentialHash).IsRequired();
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
        builder.Property(e => e.ExpiresAt).HasColumnName("expires_at").IsUtc();
        builder.Property(e => e.LastUsedAt).HasColumnName("last_used_at").IsUtc();
        builder.Property(e => e.RevokedAt).HasColumnName("revoked_at").IsUtc();
        builder.Property(e => e.Version).HasColumnName("version");
        builder.Property(e => e.RowMac).HasColumnName("row_mac").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.RowMacMasterKeyId).HasColumnName("row_mac_master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);
        builder.HasIndex(e => new { e.TenantId, e.ClientId }).IsUnique().HasDatabaseName("ux_application_credentials_tenant_id_client_id");
        builder.HasIndex(e => new { e.TenantId, e.ApplicationId }).HasDatabaseName("ix_application_credentials_tenant_id_application_id");
        builder.HasOne<ApplicationEntity>().WithMany().HasForeignKey(e => new { e.TenantId, e.ApplicationId }).HasPrincipalKey(a => new { a.TenantId, a.Id })
            .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_application_credentials_tenant_id_application_id");
        builder.HasIndex(e => e.RowMacMasterKeyId).HasDatabaseName("ix_application_credentials_row_mac_master_key_id");
    }
}
