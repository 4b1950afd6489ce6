using System.Security.Cryptography;
using KeyInfra.Errors;
using KeyInfra.Storage;
using NSec.Cryptography;

namespace KeyInfra.Encryption;

/// <summary>
/// Argon2id for master secrets (NSec, libsodium's <c>crypto_pwhash</c>, Argon2 version 0x13): the cost a new database gets,
/// the bounds a stored salt must keep, and the derivation. docs/security/envelope.md explains the choice.
/// </summary>
/// <remarks>
/// The floor is checked on every read: someone who can write the database before the first start could otherwise store a
/// cheap cost, and every key derived afterwards would be cheap to guess. The ceiling bounds what a writer can make a host
/// allocate. libsodium computes one lane only, so the parallelism is always 1.
/// </remarks>
internal static class MasterSecretKdf
{
    /// <summary>The salt length (libsodium's <c>crypto_pwhash_SALTBYTES</c>).</summary>
    public const int SaltSize = 16;

    /// <summary>Memory of a new database's salt: 64 MiB (RFC 9106 §4, the second recommended option's memory).</summary>
    public const int DefaultMemoryKib = 64 * 1024;

    /// <summary>Passes of a new database's salt: 3 (RFC 9106 §4, second recommended option).</summary>
    public const int DefaultIterations = 3;

    /// <summary>The only parallelism libsodium computes.</summary>
    public const int Parallelism = 1;

    /// <summary>The least memory a stored salt may ask for: 19 MiB (OWASP's minimum for Argon2id).</summary>
    public const int MinMemoryKib = 19 * 1024;

    /// <summary>The most memory a stored salt may ask for: 1 GiB.</summary>
    public const int MaxMemoryKib = 1024 * 1024;

    /// <summary>The fewest passes a stored salt may ask for.</summary>
    public const int MinIterations = 2;

    /// <summary>The most passes a stored salt may ask for.</summary>
    public const int MaxIterations = 64;

    /// <summary>A new random salt with the default cost.</summary>
    public static MasterSecretSalt NewSalt(DateTimeOffset now)
        => new(MasterSecretSalt.Argon2id, RandomNumberGenerator.GetBytes(SaltSize), DefaultMemoryKib, DefaultIterations, Parallelism, now);

    /// <summary>Checks a salt read from the database.</summary>
    /// <exception cref="MasterKeyException">KI2006: an unknown algorithm, a salt of the wrong length, or a cost outside the bounds.</exception>
    public static void Check(MasterSecretSalt salt)
    {
        ArgumentNullException.ThrowIfNull(salt);
        string? problem = salt switch
        {
            { Algorithm: not MasterSecretSalt.Argon2id } => $"its algorithm is '{salt.Algorithm}', and this version of KeyInfra derives with '{MasterSecretSalt.Argon2id}' only",
            { Salt: null } or { Salt.Length: not SaltSize } => $"its salt is {salt.Salt?.Length ?? 0} bytes, not {SaltSize}",
            { MemoryKib: < MinMemoryKib or > MaxMemoryKib } => $"its memory cost is {salt.MemoryKib} KiB, outside {MinMemoryKib}–{MaxMemoryKib}",
            { Iterations: < MinIterations or > MaxIterations } => $"its number of passes is {salt.Iterations}, outside {MinIterations}–{MaxIterations}",
            { Parallelism: not Parallelism } => $"its parallelism is {salt.Parallelism}, and only {Parallelism} is supported",
            _ => null,
        };

        if (problem is not null)
        {
            throw new MasterKeyException(
                ErrorCodes.MasterSecretSaltInvalid,
                $"The master secret salt stored in this database (table master_secret_salts) cannot be used: {problem}. It was written by a newer KeyInfra " +
                "or changed outside KeyInfra (a cheap cost would make the master secret cheap to guess, so it is refused). Restore the row from a backup; " +
                "on a database that holds no encrypted data yet, deleting the row makes the next start store a new one.");
        }
    }

    /// <summary>Derives a 32-byte key from the secret's bytes under a checked salt.</summary>
    public static void Derive(ReadOnlySpan<byte> secret, MasterSecretSalt salt, Span<byte> key)
    {
        Check(salt);
        var parameters = new Argon2Parameters
        {
            DegreeOfParallelism = salt.Parallelism,
            MemorySize = salt.MemoryKib,
            NumberOfPasses = salt.Iterations,
        };
        PasswordBasedKeyDerivationAlgorithm.Argon2id(in parameters).DeriveBytes(secret, salt.Salt, key);
    }
}
