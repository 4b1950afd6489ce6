namespace KeyInfra.Encryption;

/// <summary>
/// Settings of the environment master key source (<c>UseEnvironmentMasterKey()</c>). Each property defaults to
/// an environment variable, read when the options are first built; the delegate given to
/// <c>UseEnvironmentMasterKey</c> runs afterwards and may override any of them.
/// </summary>
/// <remarks>
/// Set exactly one of <see cref="MasterKey"/> and <see cref="MasterSecret"/>; both set is an error
/// (<c>KI2002</c>), neither is an error (<c>KI2001</c>). Errors are raised when the host starts, and never
/// contain the values. Generate a master key with <c>openssl rand -base64 32</c>. The strings cannot be wiped
/// from memory (.NET strings are immutable); the decoded key bytes are kept in one pinned buffer that is
/// zeroed when the host shuts down.
/// </remarks>
public sealed class EnvironmentMasterKeyOptions
{
    /// <summary>The variable <see cref="MasterKey"/> defaults to: <c>KEYINFRA_MASTER_KEY</c>.</summary>
    public const string MasterKeyVariable = "KEYINFRA_MASTER_KEY";

    /// <summary>The variable <see cref="MasterSecret"/> defaults to: <c>MASTER_SECRET</c>.</summary>
    public const string MasterSecretVariable = "MASTER_SECRET";

    /// <summary>The variable <see cref="PreviousMasterKeys"/> defaults to: <c>KEYINFRA_PREVIOUS_MASTER_KEYS</c>.</summary>
    public const string PreviousMasterKeysVariable = "KEYINFRA_PREVIOUS_MASTER_KEYS";

    /// <summary>The variable <see cref="MasterKeyId"/> defaults to: <c>KEYINFRA_MASTER_KEY_ID</c>.</summary>
    public const string MasterKeyIdVariable = "KEYINFRA_MASTER_KEY_ID";

    /// <summary>
    /// The variable <see cref="MasterSecretDerivation"/> defaults to: <c>KEYINFRA_MASTER_SECRET_DERIVATION</c>, either
    /// <c>argon2id</c> or <c>hkdf-sha256-development-only</c>.
    /// </summary>
    public const string MasterSecretDerivationVariable = "KEYINFRA_MASTER_SECRET_DERIVATION";

    /// <summary>The shortest <see cref="MasterSecret"/> accepted, in characters.</summary>
    public const int MinMasterSecretLength = 32;

    /// <summary>
    /// The master key: 32 random bytes written as exactly 64 hex digits (either case) or as canonical Base64
    /// (44 characters ending in one <c>=</c>), with no whitespace. Default: <c>KEYINFRA_MASTER_KEY</c>.
    /// </summary>
    public string? MasterKey { get; set; }

    /// <summary>
    /// A secret from which the master key is derived instead, as <see cref="MasterSecretDerivation"/> says: by default
    /// with Argon2id under a random salt and cost stored in the database (table <c>master_secret_salts</c>, created on the
    /// first start and then shared by every instance). Default: <c>MASTER_SECRET</c>.
    /// </summary>
    /// <remarks>
    /// At least <see cref="MinMasterSecretLength"/> characters. Argon2id makes each guess of the secret cost a slow,
    /// memory-hard derivation (64 MiB, 3 passes for a new database), and the per-database salt makes a guess good for one
    /// database only; nothing derived from the secret alone is logged or written into ciphertexts. It is still only as
    /// strong as the secret: use a random one (<c>openssl rand -base64 32</c>), not a memorable passphrase, and prefer
    /// <see cref="MasterKey"/> where the platform can hold a binary key. The salt lives in the database, so the same
    /// secret gives a different key for another database: back up the database and the secret together.
    /// </remarks>
    public string? MasterSecret { get; set; }

    /// <summary>
    /// How <see cref="MasterSecret"/> becomes the master key. Default: <see cref="Encryption.MasterSecretDerivation.Argon2id"/>,
    /// or <c>KEYINFRA_MASTER_SECRET_DERIVATION</c>. <see cref="Encryption.MasterSecretDerivation.HkdfSha256DevelopmentOnly"/>
    /// reads data encrypted under a key derived the way secrets were before; for development only (it logs a Warning).
    /// </summary>
    public MasterSecretDerivation MasterSecretDerivation { get; set; }

    /// <summary>
    /// Keys that wrapped data before a rotation, so that data stays readable until <c>reencrypt</c> re-wraps it:
    /// a comma-separated list of keys in the <see cref="MasterKey"/> format, each optionally preceded by its id
    /// and a colon (<c>2025-q1:BASE64KEY</c>) when it was used with an explicit <see cref="MasterKeyId"/>.
    /// Without an id, a key's id is its fingerprint. Default: <c>KEYINFRA_PREVIOUS_MASTER_KEYS</c>.
    /// </summary>
    public string? PreviousMasterKeys { get; set; }

    /// <summary>
    /// The id of the current master key, written into every ciphertext: 1–64 characters of letters, digits,
    /// '.', '_' or '-'. Default: <c>KEYINFRA_MASTER_KEY_ID</c>, or else the key's fingerprint
    /// (<see cref="Encryption.MasterKey.Fingerprint"/>), which is the recommended choice: it changes with the key.
    /// </summary>
    public string? MasterKeyId { get; set; }
}
