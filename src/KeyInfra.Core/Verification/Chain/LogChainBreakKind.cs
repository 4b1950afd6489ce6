namespace KeyInfra.Verification.Chain;

/// <summary>Why a chain does not hold together at a group.</summary>
public enum LogChainBreakKind
{
    /// <summary>The group's digest is not the MAC of its fields: the digest row was altered, moved or recomputed without the master key.</summary>
    DigestInvalid = 1,

    /// <summary>The group is missing from the middle of its chain (a digest row was deleted); <see cref="LogChainBreak.Sequence"/> is the first missing one.</summary>
    MissingGroup = 2,

    /// <summary>The group's link does not name its predecessor's digest (the chain was spliced).</summary>
    PreviousMismatch = 3,

    /// <summary>The chain ends before an expected head: its newest groups, from <see cref="LogChainBreak.Sequence"/>, were cut off.</summary>
    Truncated = 4,

    /// <summary>The chain holds the expected head's group, but with another digest (the chain was forked or rewritten).</summary>
    HeadMismatch = 5,

    /// <summary>The digest names a master key this host does not hold, so it cannot be checked; add the key as a previous master key.</summary>
    MasterKeyUnavailable = 6,

    /// <summary>A retention checkpoint is not an authentic digest, or claims entries newer than itself were dropped.</summary>
    CheckpointInvalid = 7,
}
