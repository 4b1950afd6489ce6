using System.Diagnostics.Metrics;

namespace KeyInfra.KeySources.Vault.Diagnostics;

/// <summary>
/// The Vault key source's own instruments, on the meter <see cref="MeterName"/>: token renewals by outcome and the
/// current version. Reads and the age of the last good one are the base's (<c>keyinfra.master_key_source.*</c>).
/// </summary>
internal sealed class VaultMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "KeyInfra.KeySources.Vault";

    private readonly Meter _meter;
    private readonly Counter<long> _renewals;

    public VaultMetrics(IMeterFactory meterFactory, Func<int> currentVersion)
    {
        _meter = meterFactory.Create(MeterName);
        _renewals = _meter.CreateCounter<long>("keyinfra.vault.token_renewals", "{renewal}", "Renewals of the Vault token (AppRole), by outcome.");
        _meter.CreateObservableGauge("keyinfra.vault.secret.version", currentVersion, "{version}", "The secret's version that is the current master key (0 before the first read).");
    }

    public void Renewal(bool succeeded) => _renewals.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));

    public void Dispose() => _meter.Dispose();
}
