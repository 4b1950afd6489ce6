using System.Diagnostics;
using System.Diagnostics.Metrics;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;

namespace KeyInfra.Diagnostics;

/// <summary>
/// KeyInfra's meter and instruments (<see cref="KeyInfraInstruments"/>), created once per container through
/// <see cref="IMeterFactory"/>; the engine calls one method per event.
/// </summary>
/// <remarks>
/// Thread-safe. Nothing here allocates per call beyond what the instruments' listeners do: tags are
/// <see cref="TagList"/>s on the stack and every tag value is a cached string.
/// </remarks>
internal sealed class KeyInfraMetrics
{
    private static readonly string?[] s_statusTags = BuildStatusTags();

    private readonly Counter<long> _verifications;
    private readonly Histogram<double> _verificationDuration;
    private readonly Counter<long> _signatures;
    private readonly Histogram<int> _commitBatchSize;
    private readonly Histogram<double> _commitDuration;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _cacheLoads;
    private readonly Counter<long> _rewrapItems;
    private Func<int>? _logQueueLength;
    private Func<IReadOnlyList<LogChainHead>>? _chainHeads;

    public KeyInfraMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(KeyInfraInstruments.MeterName);
        _verifications = meter.CreateCounter<long>(KeyInfraInstruments.Verifications, "{verification}", "Verifications, by result and key algorithm.");
        _verificationDuration = meter.CreateHistogram<double>(KeyInfraInstruments.VerificationDuration, "s", "Duration of a single verification, recording included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _signatures = meter.CreateCounter<long>(KeyInfraInstruments.Signatures, "{signature}", "Signing calls, by outcome and key algorithm.");
        meter.CreateObservableUpDownCounter(KeyInfraInstruments.VerificationLogQueueLength, ObserveLogQueue, "{record}", "Records waiting in the verification log's queue.");
        _commitBatchSize = meter.CreateHistogram<int>(KeyInfraInstruments.VerificationLogCommitBatchSize, "{record}", "Records committed in one verification-log transaction.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 10000] });
        _commitDuration = meter.CreateHistogram<double>(KeyInfraInstruments.VerificationLogCommitDuration, "s", "Duration of one verification-log commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        meter.CreateObservableGauge(KeyInfraInstruments.VerificationLogChainSequence, ObserveChainHeads, "{group}",
            "The sequence number of the newest committed group of each of this process's verification-log chains (by chain id and tenant).");
        _cacheHits = meter.CreateCounter<long>(KeyInfraInstruments.KeyCacheHits, "{hit}", "Key lookups answered from a cache.");
        _cacheMisses = meter.CreateCounter<long>(KeyInfraInstruments.KeyCacheMisses, "{miss}", "Key lookups a cache could not answer.");
        _cacheLoads = meter.CreateCounter<long>(KeyInfraInstruments.KeyCacheLoads, "{load}", "Keys read from storage into a cache.");
        _rewrapItems = meter.CreateCounter<long>(KeyInfraInstruments.MasterKeyRewrapItems, "{item}", "Items a master key re-wrap moved under the current key, or could not, by step and outcome.");
    }

    /// <summary>A verification ended with <paramref name="status"/>; <paramref name="startedAt"/> is a <see cref="Stopwatch"/> timestamp, or 0 for a batch item.</summary>
    public void Verified(VerificationStatus status, KeySpec? spec, long startedAt = 0)
    {
        if (!_verifications.Enabled && !_verificationDuration.Enabled)
        {
            return;
        }

        var tags = new TagList { { KeyInfraInstruments.VerificationResultTag, StatusTag(status) } };
        if (spec is not null)
        {
            tags.Add(KeyInfraInstruments.KeyAlgorithmTag, AlgorithmTag(spec));
        }

        _verifications.Add(1, tags);
        if (startedAt != 0)
        {
            _verificationDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, tags);
        }
    }

    /// <summary>Counts what one re-wrap step moved and left behind.</summary>
    public void RewrapStepFinished(string step, long moved, long failed)
    {
        if (moved > 0)
        {
            _rewrapItems.Add(moved, new KeyValuePair<string, object?>(KeyInfraInstruments.MasterKeyRewrapStepTag, step), new KeyValuePair<string, object?>(KeyInfraInstruments.MasterKeyRewrapOutcomeTag, "moved"));
        }

        if (failed > 0)
        {
            _rewrapItems.Add(failed, new KeyValuePair<string, object?>(KeyInfraInstruments.MasterKeyRewrapStepTag, step), new KeyValuePair<string, object?>(KeyInfraInstruments.MasterKeyRewrapOutcomeTag, "failed"));
        }
    }

    public void Signed(KeySpec spec)
        => _signatures.Add(1,
            new KeyValuePair<string, object?>(KeyInfraInstruments.SignatureOutcomeTag, "success"),
            new KeyValuePair<string, object?>(KeyInfraInstruments.KeyAlgorithmTag, AlgorithmTag(spec)));

    public void SignFailed(Exception exception)
        => _signatures.Add(1,
            new KeyValuePair<string, object?>(KeyInfraInstruments.SignatureOutcomeTag, "failure"),
            new KeyValuePair<string, object?>(KeyInfraInstruments.ErrorTypeTag, ErrorType(exception)));

    /// <summary>The verification log's queue, read whenever a listener collects <see cref="KeyInfraInstruments.VerificationLogQueueLength"/>.</summary>
    public void ObserveLogQueue(Func<int> length) => _logQueueLength = length;

    /// <summary>The log writer's chain heads, read whenever a listener collects <see cref="KeyInfraInstruments.VerificationLogChainSequence"/>.</summary>
    public void ObserveChainHeads(Func<IReadOnlyList<LogChainHead>> heads) => _chainHeads = heads;

    /// <summary>A verification-log commit of <paramref name="records"/> records started at <paramref name="startedAt"/> ended, failed if <paramref name="failure"/> is set.</summary>
    public void LogCommitted(int records, long startedAt, Exception? failure = null)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
        if (failure is null)
        {
            _commitBatchSize.Record(records);
            _commitDuration.Record(elapsed);
        }
        else
        {
            var error = new KeyValuePair<string, object?>(KeyInfraInstruments.ErrorTypeTag, ErrorType(failure));
            _commitBatchSize.Record(records, error);
            _commitDuration.Record(elapsed, error);
        }
    }

    public void CacheHit(string cache) => _cacheHits.Add(1, new KeyValuePair<string, object?>(KeyInfraInstruments.KeyCacheTag, cache));

    public void CacheMiss(string cache) => _cacheMisses.Add(1, new KeyValuePair<string, object?>(KeyInfraInstruments.KeyCacheTag, cache));

    public void CacheLoaded(string cache) => _cacheLoads.Add(1, new KeyValuePair<string, object?>(KeyInfraInstruments.KeyCacheTag, cache));

    private IEnumerable<Measurement<int>> ObserveLogQueue()
        => _logQueueLength is { } length ? [new Measurement<int>(length())] : [];

    private IEnumerable<Measurement<long>> ObserveChainHeads()
    {
        if (_chainHeads is not { } heads)
        {
            return [];
        }

        return heads().Select(h => new Measurement<long>(h.Sequence,
            new KeyValuePair<string, object?>(KeyInfraInstruments.ChainIdTag, h.ChainId.ToString("D")),
            new KeyValuePair<string, object?>(KeyInfraInstruments.TenantIdTag, h.TenantId.ToString("D"))));
    }

    private static string StatusTag(VerificationStatus status)
        => (uint)status < (uint)s_statusTags.Length && s_statusTags[(int)status] is { } tag ? tag : "unknown";

    // Spec names are constants except RSA's, which are built per call: map the usual sizes to constants (and keep
    // the tag's cardinality bounded).
    private static string AlgorithmTag(KeySpec spec) => spec.Algorithm != KeyAlgorithm.Rsa
        ? spec.Name
        : spec.KeySizeBits switch
        {
            2048 => "rsa-2048",
            3072 => "rsa-3072",
            4096 => "rsa-4096",
            _ => "rsa",
        };

    // error.type: KeyInfra's stable error code where there is one, else the exception's type (both bounded).
    private static string ErrorType(Exception exception)
        => exception is KeyInfraException keyInfra ? keyInfra.ErrorCode : exception.GetType().FullName ?? exception.GetType().Name;

    // VerificationStatus values in snake case (InvalidSignature -> invalid_signature), computed once.
    private static string?[] BuildStatusTags()
    {
        var values = Enum.GetValues<VerificationStatus>();
        var tags = new string?[values.Max(v => (int)v) + 1];
        foreach (var value in values)
        {
            var name = value.ToString();
            var snake = new System.Text.StringBuilder(name.Length + 4);
            for (var i = 0; i < name.Length; i++)
            {
                if (char.IsUpper(name[i]) && i > 0)
                {
                    snake.Append('_');
                }

                snake.Append(char.ToLowerInvariant(name[i]));
            }

            tags[(int)value] = snake.ToString();
        }

        return tags;
    }
}
