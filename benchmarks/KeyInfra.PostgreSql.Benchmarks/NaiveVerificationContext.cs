using Microsoft.EntityFrameworkCore;

namespace KeyInfra.PostgreSql.Benchmarks;

/// <summary>
/// What a developer would write without KeyInfra: an EF Core context over the same tables, one query to load the
/// key, one <c>SaveChanges</c> per record.
/// </summary>
public sealed class NaiveVerificationContext(DbContextOptions<NaiveVerificationContext> options) : DbContext(options)
{
    /// <summary>The keys.</summary>
    public DbSet<NaiveKey> Keys => Set<NaiveKey>();

    /// <summary>The log.</summary>
    public DbSet<NaiveRecord> Records => Set<NaiveRecord>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<NaiveKey>(b =>
        {
            b.ToTable("public_keys");
            b.HasKey(k => k.Id);
            b.Property(k => k.Id).HasColumnName("id");
            b.Property(k => k.TenantId).HasColumnName("tenant_id");
            b.Property(k => k.KeyData).HasColumnName("key_data");
            b.Property(k => k.Status).HasColumnName("status");
        });
        modelBuilder.Entity<NaiveRecord>(b =>
        {
            b.ToTable("verification_records");
            b.HasKey(r => new { r.Id, r.VerifiedAt });
            b.Property(r => r.Id).HasColumnName("id");
            b.Property(r => r.TenantId).HasColumnName("tenant_id");
            b.Property(r => r.KeyId).HasColumnName("key_id");
            b.Property(r => r.RequestedKeyId).HasColumnName("requested_key_id");
            b.Property(r => r.Algorithm).HasColumnName("algorithm");
            b.Property(r => r.Result).HasColumnName("result");
            b.Property(r => r.DocumentSha256).HasColumnName("document_sha256");
            b.Property(r => r.SignatureSha256).HasColumnName("signature_sha256");
            b.Property(r => r.VerifiedAt).HasColumnName("verified_at");
            b.Property(r => r.Caller).HasColumnName("caller");
        });
    }
}

/// <summary>A row of <c>public_keys</c>, the columns the naive way reads.</summary>
public sealed class NaiveKey
{
    /// <summary>The key id.</summary>
    public Guid Id { get; set; }

    /// <summary>The tenant.</summary>
    public Guid TenantId { get; set; }

    /// <summary>The SubjectPublicKeyInfo (DER).</summary>
    public byte[] KeyData { get; set; } = [];

    /// <summary>active, revoked or expired.</summary>
    public string Status { get; set; } = "";
}

/// <summary>A row of <c>verification_records</c>.</summary>
public sealed class NaiveRecord
{
    /// <summary>The record id.</summary>
    public Guid Id { get; set; }

    /// <summary>The tenant.</summary>
    public Guid TenantId { get; set; }

    /// <summary>The key.</summary>
    public Guid? KeyId { get; set; }

    /// <summary>The key asked for.</summary>
    public Guid RequestedKeyId { get; set; }

    /// <summary>The key spec.</summary>
    public string? Algorithm { get; set; }

    /// <summary>The outcome.</summary>
    public string Result { get; set; } = "";

    /// <summary>SHA-256 of the document.</summary>
    public byte[] DocumentSha256 { get; set; } = [];

    /// <summary>SHA-256 of the signature.</summary>
    public byte[] SignatureSha256 { get; set; } = [];

    /// <summary>When (UTC).</summary>
    public DateTime VerifiedAt { get; set; }

    /// <summary>Who asked.</summary>
    public string? Caller { get; set; }
}
