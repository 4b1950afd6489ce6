using System.Diagnostics.Metrics;
using KeyInfra.Diagnostics;

namespace KeyInfra.Sqlite.KeyChanges;

/// <summary>The key change detector's instruments, on KeyInfra's meter (<see cref="KeyInfraInstruments.MeterName"/>).</summary>
internal sealed class KeyChangeMetrics
{
    private const string Source = "sqlite";

    private readonly Counter<long> _received;
    private readonly Counter<long> _resets;

    public KeyChangeMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(KeyInfraInstruments.MeterName);
        _received = meter.CreateCounter<long>(KeyInfraInstruments.KeyChangesReceived, "{key}", "Keys dropped from this process's caches because another process changed them.");
        _resets = meter.CreateCounter<long>(KeyInfraInstruments.KeyChangeResets, "{reset}", "Times every cached key was dropped because changes made elsewhere may have been missed.");
    }

    public void Received(int keys) => _received.Add(keys, new KeyValuePair<string, object?>(KeyInfraInstruments.KeyChangeSourceTag, Source));

    public void Reset(string reason) => _resets.Add(
        1,
        new KeyValuePair<string, object?>(KeyInfraInstruments.KeyChangeSourceTag, Source),
        new KeyValuePair<string, object?>(KeyInfraInstruments.KeyChangeResetReasonTag, reason));
}
