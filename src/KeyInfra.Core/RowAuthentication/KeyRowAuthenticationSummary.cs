using KeyInfra.Keys;

namespace KeyInfra.RowAuthentication;

/// <summary>What a key row authentication pass did (so far, when reported as progress).</summary>
public sealed record KeyRowAuthenticationSummary
{
    /// <summary>The most refused key ids kept in <see cref="RefusedKeyIds"/>; the count goes on.</summary>
    public const int MaxRefusedKeyIds = 100;

    /// <summary>Rows examined.</summary>
    public long Examined { get; init; }

    /// <summary>Rows without a MAC that were authenticated (a migrating database only).</summary>
    public long Authenticated { get; init; }

    /// <summary>Rows authenticated under an older master key that were re-authenticated under the current one.</summary>
    public long Reauthenticated { get; init; }

    /// <summary>Rows already authenticated under the current master key.</summary>
    public long Unchanged { get; init; }

    /// <summary>
    /// Rows refused: a MAC that fails, a MAC by a master key the source does not provide, or no MAC on a strict
    /// database. They are left as they are (and refused by every read); see <see cref="RefusedKeyIds"/>.
    /// </summary>
    public long Refused { get; init; }

    /// <summary>Rows changed by another writer on every attempt during the pass; a second pass handles them.</summary>
    public long Conflicts { get; init; }

    /// <summary>The first <see cref="MaxRefusedKeyIds"/> refused keys.</summary>
    public IReadOnlyList<KeyId> RefusedKeyIds { get; init; } = [];

    /// <summary>Whether the database is strict (every row without a MAC is refused) at the end of the pass.</summary>
    public bool Strict { get; init; }

    /// <summary>The id of the master key the rows are authenticated under.</summary>
    public string MasterKeyId { get; init; } = "";
}
