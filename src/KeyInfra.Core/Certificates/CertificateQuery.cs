namespace KeyInfra.Certificates;

/// <summary>Which certificates <see cref="ICertificateStore.ListAsync"/> returns.</summary>
public sealed record CertificateQuery
{
    /// <summary>Only this owner's. A caller that sees only its own certificates must name itself (or its application).</summary>
    public string? Owner { get; init; }

    /// <summary>Only this authority's.</summary>
    public Guid? AuthorityId { get; init; }

    /// <summary>Only those with this status.</summary>
    public CertificateStatus? Status { get; init; }

    /// <summary>The cursor of the page before (<see cref="CertificatePage.NextCursor"/>).</summary>
    public Guid? After { get; init; }

    /// <summary>At most this many, 1–1,000; 100 by default.</summary>
    public int Limit { get; init; } = 100;
}
