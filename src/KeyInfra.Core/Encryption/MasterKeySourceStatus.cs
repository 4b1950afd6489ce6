namespace KeyInfra.Encryption;

/// <summary>What a refreshing master key source last did: for its health check and for hosts that show it.</summary>
/// <param name="CurrentKeyId">The current key's id; <c>null</c> before the first successful read.</param>
/// <param name="LastSuccessAt">When the source last read its keys successfully.</param>
/// <param name="LastFailureAt">When the last read failed, if it failed; <c>null</c> when the last read succeeded.</param>
/// <param name="LastErrorCode">The error code of that failure.</param>
/// <param name="LastErrorMessage">Its message (never a credential or a key).</param>
public sealed record MasterKeySourceStatus(string? CurrentKeyId, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastErrorCode, string? LastErrorMessage)
{
    /// <summary>Nothing read yet.</summary>
    public static MasterKeySourceStatus Initial { get; } = new(null, null, null, null, null);
}
