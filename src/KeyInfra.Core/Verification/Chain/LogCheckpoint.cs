namespace KeyInfra.Verification.Chain;

/// <summary>
/// What retention leaves when it drops old verification records: the last digest of a chain whose entries it
/// dropped, so that the chain's remaining groups still link to an authenticated predecessor.
/// </summary>
/// <remarks>
/// The checkpoint is a copy of a digest the log writer made, so it is authenticated like any digest; a database
/// writer can add one only by copying a real digest, which <c>log verify</c> reports (a checkpoint says that every entry
/// before <see cref="DroppedBefore"/> is gone on purpose). Immutable.
/// </remarks>
public sealed record LogCheckpoint
{
    /// <summary>The last digest of the chain that retention removed.</summary>
    public required LogDigest Digest { get; init; }

    /// <summary>Retention dropped every record verified before this time (the end of the newest dropped partition).</summary>
    public required DateTimeOffset DroppedBefore { get; init; }

    /// <summary>When the checkpoint was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
