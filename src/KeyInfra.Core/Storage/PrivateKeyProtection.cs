namespace KeyInfra.Storage;

/// <summary>How a stored private key is protected.</summary>
public enum PrivateKeyProtection
{
    /// <summary>
    /// Plaintext PKCS#8, as left by a version before encryption at rest. Never used to sign (<c>KI2103</c>); encrypted
    /// only by <c>reencrypt</c> with <c>ReencryptionOptions.UnsafeReadPlaintextPrivateKeys</c>, since any database writer can write one.
    /// </summary>
    None = 0,

    /// <summary>PKCS#8 encrypted with envelope encryption (AES-256-GCM, data key wrapped by the master key).</summary>
    Envelope = 1,

    /// <summary>The key lives in a PKCS#11 token; only its reference is stored.</summary>
    Hsm = 2,
}
