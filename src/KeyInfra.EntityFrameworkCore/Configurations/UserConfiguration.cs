using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.EntityFrameworkCore.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>
/// Maps <c>users</c>: tenant-owned, user name and e-mail unique per tenant (several users may have no e-mail), the
/// application a foreign key of the same tenant that refuses the application's removal while a user names it.
/// </summary>
internal sealed class UserConfiguration : IEntityTypeConfiguration<UserEntity>
{
    public void Configure(EntityTypeBuilder<UserEntity> builder)
    {
        builder.ToTable("users", t => t.HasCheckConstraint("ck_users_status", "status IN (1, 2, 3)"));
        builder.HasKey(e => e.Id).HasName("pk_users");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.TenantId).HasColumnName("tenant_id");
        builder.Property(e => e.Username).HasColumnName("username").HasMaxLength(ColumnLengths.ShortText).IsRequired();
        builder.Property(e => e.Email).HasColumnName("email").HasMaxLength(ColumnLengths.Email);
        builder.Property(e => e.PasswordHash).HasColumnName("password_hash").HasMaxLength(ColumnLengths.CredentialHash);
        builder.Property(e => e.Status).HasColumnName("status");
        builder.Property(e => e.ApplicationId).HasColumnName("application_id");
        builder.Property(e => e.CreatedAt).HasColumnName("created_at").IsUtc();
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at").IsUtc();
        builder.Property(e => e.LastLoginAt).HasColumnName("last_login_at").IsUtc();
        builder.Property(e => e.Version).HasColumnName("version");
        builder.Property(e => e.RowMac).HasColumnName("row_mac").HasMaxLength(ColumnLengths.Sha256).IsFixedLength();
        builder.Property(e => e.RowMacMasterKeyId).HasColumnName("row_mac_master_key_id").HasMaxLength(ColumnLengths.MasterKeyId);
        builder.HasAlternateKey(e => new { e.TenantId, e.Id }).HasName("ak_users_tenant_id_id");
        builder.HasIndex(e => new { e.TenantId, e.Username }).IsUnique().HasDatabaseName("ux_users_tenant_id_username");
        builder.HasIndex(e => new { e.TenantId, e.Email }).IsUnique().HasDatabaseName("ux_users_tenant_id_email");
        builder.HasIndex(e => new { e.TenantId, e.ApplicationId }).HasDatabaseName("ix_users_tenant_id_application_id");
        builder.HasOne<ApplicationEntity>().WithMany().HasForeignKey(e => new { e.TenantId, e.ApplicationId }).HasPrincipalKey(a => new { a.TenantId, a.Id })
            .OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_users_tenant_id_application_id");
        builder.HasIndex(e => e.RowMacMasterKeyId).HasDatabaseName("ix_users_row_mac_master_key_id");
    }
}
