namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>
/// A row of <c>verification_log_checkpoints</c>: the last digest of a chain whose entries retention dropped, copied
/// as it was, with the time before which everything was dropped.
/// </summary>
internal sealed class VerificationLogCheckpointEntity : IChainRow
{
    public Guid ChainId { get; set; }

    public Guid TenantId { get; set; }

    public long Sequence { get; set; }

    public DateTimeOffset CommittedAt { get; set; }

    public DateTimeOffset FirstEntryAt { get; set; }

    public string MasterKeyId { get; set; } = string.Empty;

    public int EntryCount { get; set; }

    public byte[] Manifest { get; set; } = [];

    public byte[] PreviousDigest { get; set; } = [];

    public byte[] Digest { get; set; } = [];

    public string? RewrapMasterKeyId { get; set; }

    public byte[]? RewrapMac { get; set; }

    public DateTimeOffset DroppedBefore { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
