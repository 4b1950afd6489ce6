namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>
/// The columns both chain tables have (<c>verification_log_digests</c>, <c>verification_log_checkpoints</c>): a digest as
/// stored, so that reading and mapping one is written once for both.
/// </summary>
internal interface IChainRow
{
    Guid ChainId { get; }

    Guid TenantId { get; }

    long Sequence { get; }

    DateTimeOffset CommittedAt { get; }

    DateTimeOffset FirstEntryAt { get; }

    string MasterKeyId { get; }

    int EntryCount { get; }

    byte[] Manifest { get; }

    byte[] PreviousDigest { get; }

    byte[] Digest { get; }

    string? RewrapMasterKeyId { get; }

    byte[]? RewrapMac { get; }
}
