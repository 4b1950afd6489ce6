namespace KeyInfra.Encryption;

/// <summary>What a re-encryption run did.</summary>
/// <param name="Encrypted">Plaintext private keys that were encrypted.</param>
/// <param name="Rewrapped">Private keys whose data key was re-wrapped under the current master key.</param>
/// <param name="Unchanged">Private keys already under the current master key (or held in an HSM).</param>
public sealed record ReencryptionSummary(int Encrypted, int Rewrapped, int Unchanged);
