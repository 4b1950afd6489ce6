namespace KeyInfra.Certificates;

/// <summary>How KeyInfra runs its certificate authorities (<c>KeyInfraOptions.Certificates</c>, configuration section <c>KeyInfra:Certificates</c>).</summary>
public sealed class CertificateOptions
{
    /// <summary>How long a CRL is valid (its <c>nextUpdate</c> after its <c>thisUpdate</c>); 7 days by default, 1 hour to 90 days.</summary>
    public TimeSpan CrlValidity { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long before a CRL's <c>nextUpdate</c> the next one is due; 2 days by default, less than <see cref="CrlValidity"/>.</summary>
    public TimeSpan CrlRefreshMargin { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How often the host looks for CRLs that are due (<see cref="CrlSchedule"/>); 1 hour by default, 0 for never.</summary>
    public TimeSpan CrlSchedule { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Whether the retention job removes certificates that expired more than <see cref="RetentionMonths"/> ago; off by default.</summary>
    public bool RetentionEnabled { get; set; }

    /// <summary>How many months after expiry a certificate is kept; 24 by default, at least 1.</summary>
    public int RetentionMonths { get; set; } = 24;
}
