using System.Diagnostics.Metrics;

namespace KeyInfra.KeySources.Vault.Diagnostics;

/// <summary>
/// The Vault key source's instruments, on the meter <see cref="MeterName"/>: reads of the secret by outcome, token
/// renewals by outcome, the current version, and the age of the last successful read.
/// </summary>
internal sealed class VaultMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "KeyInfra.KeySources.Vault";

    private readonly Meter _meter;
    private readonly Counter<long> _reads;
    private readonly Counter<long> _renewals;

    public VaultMetrics(IMeterFactory meterFactory, Func<int> currentVersion, Func<DateTimeOffset?> lastSuccessAt, TimeProvider time)
    {
        _meter = meterFactory.Create(MeterName);
        _reads = _meter.CreateCounter<long>("keyinfra.vault.reads", "{read}", "Reads of the master key secret (at start and on each refresh), by outcome and error code.");
        _renewals = _meter.CreateCounter<long>("keyinfra.vault.token_renewals", "{renewal}", "Renewals of the Vault token (AppRole), by outcome.");
        _meter.CreateObservableGauge("keyinfra.vault.secret.version", currentVersion, "{version}", "The secret's version that is the current master key (0 before the first read).");
        _meter.CreateObservableGauge("keyinfra.vault.last_success.age", () => lastSuccessAt() is { } at ? (time.GetUtcNow() - at).TotalSeconds : double.NaN, "s",
            "Seconds since the secret was last read successfully; grows while refreshes fail.");
    }

    public void Read(string? errorCode)
        => _reads.Add(1, new KeyValuePair<string, object?>("outcome", errorCode is null ? "success" : "failure"), new KeyValuePair<string, object?>("error.code", errorCode));

    public void Renewal(bool succeeded) => _renewals.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));

    public void Dispose() => _meter.Dispose();
}
