namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>verification_log_digests</c>: one group commit's digest for one tenant.</summary>
internal sealed class VerificationLogDigestEntity : IChainRow
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
}
