using System.Diagnostics.Metrics;

namespace KeyInfra.Diagnostics;

/// <summary>
/// The instruments of a key change source (a storage provider's listener or detector, a shared cache's subscriber):
/// keys dropped because another process changed them, and resets that dropped every cached key, both tagged by the
/// source (<see cref="KeyInfraInstruments.KeyChangeSourceTag"/>). On KeyInfra's meter (<see cref="KeyInfraInstruments.MeterName"/>).
/// </summary>
/// <remarks>Thread-safe. A source creates one for its lifetime; the meter comes from the container's <see cref="IMeterFactory"/>.</remarks>
public sealed class KeyChangeMetrics
{
    private readonly Counter<long> _received;
    private readonly Counter<long> _resets;
    private readonly KeyValuePair<string, object?> _source;

    /// <summary>Creates the instruments of one source.</summary>
    /// <param name="meterFactory">The container's meter factory.</param>
    /// <param name="source">The source's tag value, such as <c>sqlite</c> or <c>postgresql</c>.</param>
    public KeyChangeMetrics(IMeterFactory meterFactory, string source)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var meter = meterFactory.Create(KeyInfraInstruments.MeterName);
        _received = meter.CreateCounter<long>(KeyInfraInstruments.KeyChangesReceived, "{key}", "Keys dropped from this process's caches because another process changed them.");
        _resets = meter.CreateCounter<long>(KeyInfraInstruments.KeyChangeResets, "{reset}", "Times every cached key was dropped because changes made elsewhere may have been missed.");
        _source = new KeyValuePair<string, object?>(KeyInfraInstruments.KeyChangeSourceTag, source);
    }

    /// <summary>Counts keys dropped because another process changed them.</summary>
    /// <param name="keys">How many keys were dropped.</param>
    public void Received(int keys = 1) => _received.Add(keys, _source);

    /// <summary>Counts a reset: every cached key dropped, because changes may have been missed.</summary>
    /// <param name="reason">Why, as a short snake_case tag value (<c>connected</c>, <c>connection_lost</c>, ...).</param>
    public void Reset(string reason) => _resets.Add(1, _source, new KeyValuePair<string, object?>(KeyInfraInstruments.KeyChangeResetReasonTag, reason));
}
