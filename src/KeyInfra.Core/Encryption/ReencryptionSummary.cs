namespace KeyInfra.Encryption;

/// <summary>What a re-encryption run did.</summary>
/// <param name="Encrypted">Plaintext private keys that were encrypted (only with <see cref="ReencryptionOptions.UnsafeReadPlaintextPrivateKeys"/>).</param>
/// <param name="Rewrapped">Private keys whose data key was re-wrapped under the current master key.</param>
/// <param name="Unchanged">Private keys already under the current master key in the current format (or held in an HSM).</param>
public sealed record ReencryptionSummary(int Encrypted, int Rewrapped, int Unchanged)
{
    /// <summary>Private keys of envelope format v1 re-encrypted in format v2 (bound to their spec and public key) under the current master key.</summary>
    public int Upgraded { get; init; }

    /// <summary>
    /// Private keys the run could not read and left as they were, in the order met. Empty when every key was handled.
    /// A run with skipped keys is not finished: fix or remove those rows and run again.
    /// </summary>
    public IReadOnlyList<ReencryptionSkippedKey> Skipped { get; init; } = [];

    /// <summary>Equal when every count is equal and the same keys were skipped, for the same reasons, in the same order.</summary>
    /// <param name="other">The summary to compare with.</param>
    public bool Equals(ReencryptionSummary? other)
        => other is not null
           && Encrypted == other.Encrypted && Rewrapped == other.Rewrapped && Unchanged == other.Unchanged && Upgraded == other.Upgraded
           && Skipped.SequenceEqual(other.Skipped);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Encrypted, Rewrapped, Unchanged, Upgraded, Skipped.Count);
}
