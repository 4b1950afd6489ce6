namespace KeyInfra.Storage;

/// <summary>
/// The salt and cost a database's master secret is derived with (<c>MASTER_SECRET</c>, Argon2id): random per database,
/// stored once, the same for every instance. Not secret; it makes every guess of the secret cost one Argon2id run
/// against this database alone.
/// </summary>
/// <param name="Algorithm">The key derivation: <c>argon2id</c> (Argon2 version 0x13, RFC 9106).</param>
/// <param name="Salt">The salt: 16 random bytes.</param>
/// <param name="MemoryKib">Argon2id's memory cost in KiB.</param>
/// <param name="Iterations">Argon2id's number of passes.</param>
/// <param name="Parallelism">Argon2id's degree of parallelism (lanes).</param>
/// <param name="CreatedAt">When the salt was stored (UTC).</param>
public sealed record MasterSecretSalt(string Algorithm, byte[] Salt, int MemoryKib, int Iterations, int Parallelism, DateTimeOffset CreatedAt)
{
    /// <summary>The algorithm name of Argon2id.</summary>
    public const string Argon2id = "argon2id";

    /// <summary>The parameters only: the salt is not secret, but there is no reason to print it.</summary>
    public override string ToString() => $"MasterSecretSalt({Algorithm}, m={MemoryKib} KiB, t={Iterations}, p={Parallelism}, {Salt.Length}-byte salt)";
}
