using KeyInfra.Verification;

namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>batch_verification_items</c>. The tenant and caller are the batch's.</summary>
internal sealed class BatchVerificationItemEntity
{
    public Guid Id { get; set; }

    public Guid BatchId { get; set; }

    public int ItemIndex { get; set; }

    public Guid? KeyId { get; set; }

    public Guid RequestedKeyId { get; set; }

    public string? Algorithm { get; set; }

    public VerificationStatus Result { get; set; }

    public byte[] DocumentSha256 { get; set; } = [];

    public byte[] SignatureSha256 { get; set; } = [];

    public DateTimeOffset VerifiedAt { get; set; }

    public string? Detail { get; set; }
}
