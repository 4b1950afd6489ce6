namespace KeyInfra.KeySources.Vault;

/// <summary>What the Vault key source last did: for its health check and for hosts that show it.</summary>
/// <param name="CurrentVersion">The secret's version that is the current key; 0 before the first load.</param>
/// <param name="CurrentKeyId">The current key's id; <c>null</c> before the first load.</param>
/// <param name="LastSuccessAt">When the secret was last read successfully.</param>
/// <param name="LastFailureAt">When the last read failed, if the last read failed; <c>null</c> when it succeeded.</param>
/// <param name="LastErrorCode">The error code of that failure (KI7001–KI7005, KI2002).</param>
/// <param name="LastErrorMessage">Its message (never a token or a key).</param>
internal sealed record VaultKeySourceStatus(int CurrentVersion, string? CurrentKeyId, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastErrorCode, string? LastErrorMessage)
{
    /// <summary>Nothing read yet.</summary>
    public static VaultKeySourceStatus Initial { get; } = new(0, null, null, null, null, null);
}
