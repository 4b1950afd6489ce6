using KeyInfra.Verification;

namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>verification_records</c>.</summary>
internal sealed class VerificationRecordEntity
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The key, when it existed at verification time; <c>null</c> otherwise (so the foreign key holds).</summary>
    public Guid? KeyId { get; set; }

    public Guid RequestedKeyId { get; set; }

    public string? Algorithm { get; set; }

    public VerificationStatus Result { get; set; }

    public byte[] DocumentSha256 { get; set; } = [];

    public byte[] SignatureSha256 { get; set; } = [];

    public DateTimeOffset VerifiedAt { get; set; }

    public string? Caller { get; set; }

    public string? CallerId { get; set; }

    public string? Detail { get; set; }
}
