namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>The master key columns both chain tables have (<c>verification_log_digests</c>, <c>verification_log_checkpoints</c>), for queries written once for both.</summary>
internal interface IChainRow
{
    string MasterKeyId { get; }

    string? RewrapMasterKeyId { get; }
}
