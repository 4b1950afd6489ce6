using Microsoft.EntityFrameworkCore;

namespace KeyInfra.Benchmarks;

/// <summary>
/// The "naive EF" way of case 4: a minimal DbContext an application might write itself over KeyInfra's tables,
/// mapping only what it reads and writes, with EF Core's defaults (change tracking on).
/// </summary>
public sealed class NaiveDbContext(DbContextOptions<NaiveDbContext> options) : DbContext(options)
{
    /// <summary>Rows of <c>public_keys</c>.</summary>
    public DbSet<NaiveKeyRow> Keys => Set<NaiveKeyRow>();

    /// <summary>Rows of <c>verification_records</c>.</summary>
    public DbSet<NaiveRecordRow> Records => Set<NaiveRecordRow>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<NaiveKeyRow>(e =>
        {
            e.ToTable("public_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).HasColumnName("id");
            e.Property(k => k.KeyData).HasColumnName("key_data");
            e.Property(k => k.KeyFormat).HasColumnName("key_format");
            e.Property(k => k.Status).HasColumnName("status");
        });
        modelBuilder.Entity<NaiveRecordRow>(e =>
        {
            e.ToTable("verification_records");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasColumnName("id");
            e.Property(r => r.TenantId).HasColumnName("tenant_id");
            e.Property(r => r.KeyId).HasColumnName("key_id");
            e.Property(r => r.RequestedKeyId).HasColumnName("requested_key_id");
            e.Property(r => r.Algorithm).HasColumnName("algorithm");
            e.Property(r => r.Result).HasColumnName("result");
            e.Property(r => r.DocumentSha256).HasColumnName("document_sha256");
            e.Property(r => r.SignatureSha256).HasColumnName("signature_sha256");
            e.Property(r => r.VerifiedAt).HasColumnName("verified_at");
        });
    }
}
