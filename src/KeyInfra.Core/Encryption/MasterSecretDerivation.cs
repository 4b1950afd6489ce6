namespace KeyInfra.Encryption;

/// <summary>How the environment source derives the master key from <see cref="EnvironmentMasterKeyOptions.MasterSecret"/>.</summary>
public enum MasterSecretDerivation
{
    /// <summary>
    /// Argon2id (RFC 9106) with a random salt and cost stored in the database (the default): every guess of the secret
    /// costs a slow, memory-hard derivation, for one database at a time. Needs a storage provider.
    /// </summary>
    Argon2id = 0,

    /// <summary>
    /// HKDF-SHA256 with a fixed salt, as secrets were derived before Argon2id (and as EUDIPLO derives them). For development
    /// only: one guess costs two HMACs, the same for every deployment, and the key id (in logs and in every ciphertext)
    /// lets anyone test guesses offline. Move off it with a previous key and <c>reencrypt</c> (docs/security.md).
    /// </summary>
    HkdfSha256DevelopmentOnly = 1,
}
