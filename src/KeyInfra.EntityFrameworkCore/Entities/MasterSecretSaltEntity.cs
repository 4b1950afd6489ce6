namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>The one row of <c>master_secret_salts</c>: the Argon2id salt and cost of the database's master secret.</summary>
internal sealed class MasterSecretSaltEntity
{
    /// <summary>The row's id; always <see cref="SingletonId"/>, so a second salt cannot be inserted.</summary>
    public short Id { get; set; }

    public string Algorithm { get; set; } = "";

    public byte[] Salt { get; set; } = [];

    public int MemoryKib { get; set; }

    public int Iterations { get; set; }

    public int Parallelism { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The id of the one row.</summary>
    public const short SingletonId = 1;
}
