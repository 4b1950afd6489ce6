namespace KeyInfra.Verification.Chain;

/// <summary>
/// One link of a verification-log chain: the seal of one tenant's entries committed since the previous seal (one group
/// commit or several), as stored in
/// <c>verification_log_digests</c>. The log writer makes it; storage providers store and read it as it is.
/// </summary>
/// <remarks>
/// <para><see cref="Digest"/> is an HMAC-SHA256, under the log-chain subkey of master key <see cref="MasterKeyId"/>,
/// over every other field (the exact bytes are in docs/security/log-chain.md). It cannot be recomputed without the
/// master key, so a database writer who changes an entry, its manifest or the link is found out.</para>
/// <para>Immutable once made; the byte arrays are the digest's own and must not be changed.</para>
/// </remarks>
public sealed record LogDigest
{
    /// <summary>The writer's chain (one per log writer, UUIDv7): several instances each keep their own.</summary>
    public required Guid ChainId { get; init; }

    /// <summary>The tenant whose entries the group holds (each tenant has its own chain in each writer's chain id).</summary>
    public required Guid TenantId { get; init; }

    /// <summary>The group's place in its chain, from 1.</summary>
    public required long Sequence { get; init; }

    /// <summary>When the seal was committed (UTC, kept to the microsecond); never before any of its entries.</summary>
    public required DateTimeOffset CommittedAt { get; init; }

    /// <summary>The earliest time of the group's entries (a record's verification, a batch's start).</summary>
    public required DateTimeOffset FirstEntryAt { get; init; }

    /// <summary>The id of the master key whose log-chain subkey made <see cref="Digest"/>.</summary>
    public required string MasterKeyId { get; init; }

    /// <summary>How many entries (records, batches and batch items, audit records) the seal names.</summary>
    public required int EntryCount { get; init; }

    /// <summary>The entries in commit order, 57 bytes each: kind, id, time and the SHA-256 of the entry's canonical encoding.</summary>
    public required byte[] Manifest { get; init; }

    /// <summary>The <see cref="Digest"/> of the previous group of the chain; 32 zero bytes for the first.</summary>
    public required byte[] PreviousDigest { get; init; }

    /// <summary>The HMAC-SHA256 that authenticates the group and links it to the previous one (32 bytes).</summary>
    public required byte[] Digest { get; init; }

    /// <summary>
    /// The id of the master key that re-authenticated the group after a rotation (<c>master-key rewrap</c>), or <c>null</c>.
    /// The group stays linked by <see cref="Digest"/>; <see cref="RewrapMac"/> lets it be checked once <see cref="MasterKeyId"/>
    /// is retired.
    /// </summary>
    public string? RewrapMasterKeyId { get; init; }

    /// <summary>
    /// The HMAC-SHA256, under the log-chain subkey of <see cref="RewrapMasterKeyId"/>, over every field of the group and its
    /// <see cref="Digest"/> (docs/security/log-chain.md); <c>null</c> with it.
    /// </summary>
    public byte[]? RewrapMac { get; init; }

    /// <summary>The master key a re-wrap moves the group from, and status counts it under: <see cref="RewrapMasterKeyId"/> if set, else <see cref="MasterKeyId"/>.</summary>
    public string EffectiveMasterKeyId => RewrapMasterKeyId ?? MasterKeyId;
}
