using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Diagnostics;

namespace KeyInfra.Certificates;

/// <summary>
/// The certificate authorities' instruments on KeyInfra's meter: certificates issued and renewed, revoked (by reason),
/// CRLs published, certificates retired, and maintenance passes that failed (by step).
/// </summary>
/// <remarks>Thread-safe; one per container, from its <see cref="IMeterFactory"/>. Every tag value is one of a few fixed strings.</remarks>
internal sealed class CertificateMetrics
{
    private static readonly KeyValuePair<string, object?> s_issue = new(KeyInfraInstruments.CertificateOperationTag, "issue");
    private static readonly KeyValuePair<string, object?> s_renew = new(KeyInfraInstruments.CertificateOperationTag, "renew");
    private static readonly string[] s_reasons =
        ["unspecified", "key_compromise", "ca_compromise", "affiliation_changed", "superseded", "cessation_of_operation", "certificate_hold", "other", "other", "privilege_withdrawn", "aa_compromise"];

    private readonly Counter<long> _issued;
    private readonly Counter<long> _revoked;
    private readonly Counter<long> _crls;
    private readonly Counter<long> _retired;
    private readonly Counter<long> _maintenanceFailures;

    public CertificateMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(KeyInfraInstruments.MeterName);
        _issued = meter.CreateCounter<long>(KeyInfraInstruments.CertificatesIssued, "{certificate}", "Certificates issued by KeyInfra's certificate authorities, by operation (issue or renew).");
        _revoked = meter.CreateCounter<long>(KeyInfraInstruments.CertificatesRevoked, "{certificate}", "Certificates revoked, by RFC 5280 reason.");
        _crls = meter.CreateCounter<long>(KeyInfraInstruments.CertificateCrlsPublished, "{crl}", "CRLs signed and stored: an authority's first, after a revocation, on request and on the schedule.");
        _retired = meter.CreateCounter<long>(KeyInfraInstruments.CertificatesRetired, "{certificate}", "Expired certificates the retention job removed.");
        _maintenanceFailures = meter.CreateCounter<long>(KeyInfraInstruments.CertificateMaintenanceFailures, "{failure}", "Authorities whose scheduled CRL failed, and retention runs that failed, by step.");
    }

    public void Issued(bool renewal) => _issued.Add(1, renewal ? s_renew : s_issue);

    public void Revoked(X509RevocationReason reason)
        => _revoked.Add(1, new KeyValuePair<string, object?>(KeyInfraInstruments.CertificateRevocationReasonTag, (int)reason is >= 0 and < 11 ? s_reasons[(int)reason] : "other"));

    public void CrlPublished() => _crls.Add(1);

    public void Retired(int count) => _retired.Add(count);

    /// <summary>Counts failures of a maintenance step: <c>crl</c> (per authority) or <c>retention</c>.</summary>
    public void MaintenanceFailed(string step, int count = 1)
        => _maintenanceFailures.Add(count, new KeyValuePair<string, object?>(KeyInfraInstruments.CertificateMaintenanceStepTag, step));
}
