using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using KeyInfra.Diagnostics;
using KeyInfra.Keys;
using Net.Pkcs11Interop.Common;

namespace KeyInfra.Pkcs11.Diagnostics;

/// <summary>KeyInfra.Pkcs11's instruments (<see cref="Pkcs11Instruments"/>) on KeyInfra's meter, created once per container.</summary>
/// <remarks>Thread-safe. Pools register themselves to be observed and unregister when disposed.</remarks>
internal sealed class Pkcs11Metrics
{
    private readonly Counter<long> _waits;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _renewals;
    private readonly Histogram<double> _signDuration;
    private readonly ConcurrentDictionary<object, Func<(int Open, int InUse)>> _pools = new();

    public Pkcs11Metrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(KeyInfraInstruments.MeterName);
        meter.CreateObservableUpDownCounter(Pkcs11Instruments.Sessions, ObserveSessions, "{session}", "PKCS#11 sessions held open by the token pools, by state.");
        _waits = meter.CreateCounter<long>(Pkcs11Instruments.SessionWaits, "{wait}", "Operations that waited for a free session of their token's pool.");
        _errors = meter.CreateCounter<long>(Pkcs11Instruments.Errors, "{error}", "PKCS#11 calls that failed, by return value.");
        _renewals = meter.CreateCounter<long>(Pkcs11Instruments.Renewals, "{renewal}", "Times a token pool renewed its sessions and logged in again.");
        _signDuration = meter.CreateHistogram<double>(Pkcs11Instruments.SignDuration, "s", "Duration of one signature in a token, waiting for a session included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    }

    public void Observe(object pool, Func<(int Open, int InUse)> sessions) => _pools[pool] = sessions;

    public void StopObserving(object pool) => _pools.TryRemove(pool, out _);

    public void Waited() => _waits.Add(1);

    public void Renewed() => _renewals.Add(1);

    public void Failed(CKR rv) => _errors.Add(1, new KeyValuePair<string, object?>(Pkcs11Instruments.ReturnValueTag, rv.ToString()));

    public void Signed(KeySpec spec, long startedAt)
        => _signDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new KeyValuePair<string, object?>(KeyInfraInstruments.KeyAlgorithmTag, spec.Name));

    private IEnumerable<Measurement<int>> ObserveSessions()
    {
        int open = 0, inUse = 0;
        foreach (var pool in _pools.Values)
        {
            var (o, u) = pool();
            open += o;
            inUse += u;
        }

        return
        [
            new Measurement<int>(open - inUse, new KeyValuePair<string, object?>(Pkcs11Instruments.SessionStateTag, "idle")),
            new Measurement<int>(inUse, new KeyValuePair<string, object?>(Pkcs11Instruments.SessionStateTag, "in_use")),
        ];
    }
}
