namespace KeyInfra.Keys;

/// <summary>
/// Filters and a page position for listing keys. Pages are keyset-paged by key id (time-ordered),
/// so a page stays stable while keys are added.
/// </summary>
public sealed record KeyQuery
{
    /// <summary>The largest page KeyInfra returns.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Only keys in this stored status.</summary>
    public KeyStatus? Status { get; init; }

    /// <summary>Only keys of this algorithm.</summary>
    public KeyAlgorithm? Algorithm { get; init; }

    /// <summary>Only keys in this ring.</summary>
    public string? RingName { get; init; }

    /// <summary>Only keys of this owner.</summary>
    public string? Owner { get; init; }

    /// <summary>Start after this key id (the <see cref="KeyPage.NextCursor"/> of the previous page).</summary>
    public KeyId? After { get; init; }

    /// <summary>How many keys per page, 1 to <see cref="MaxPageSize"/>; default 100.</summary>
    public int PageSize { get; init; } = 100;
}
