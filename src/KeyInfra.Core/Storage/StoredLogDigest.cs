using KeyInfra.Verification.Chain;

namespace KeyInfra.Storage;

/// <summary>A chain digest as stored, and whether it is a retention checkpoint's copy (<c>verification_log_checkpoints</c>) rather than a live digest.</summary>
/// <param name="Digest">The digest.</param>
/// <param name="IsCheckpoint">Whether the row is a retention checkpoint.</param>
public sealed record StoredLogDigest(LogDigest Digest, bool IsCheckpoint);
