using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using KeyInfra.Diagnostics;
using KeyInfra.Keys;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Core.Tests.Diagnostics;

[TestClass]
public sealed class KeyInfraMetricsTests
{
    [TestMethod]
    public void Verified_EveryStatus_DistinctSnakeCaseResultTag()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new KeyInfraMetrics(services.GetRequiredService<IMeterFactory>());
        var results = new List<string>();
        using var listener = Listen(services.GetRequiredService<IMeterFactory>(), (instrument, _, tags) =>
        {
            if (instrument == KeyInfraInstruments.Verifications)
            {
                results.Add((string)Tag(tags, KeyInfraInstruments.VerificationResultTag)!);
            }
        });

        foreach (var status in Enum.GetValues<VerificationStatus>())
        {
            metrics.Verified(status, KeySpec.Ed25519);
        }

        Assert.AreEqual(Enum.GetValues<VerificationStatus>().Length, results.Distinct().Count());
        Assert.IsTrue(results.All(r => r.Length > 0 && r.All(c => char.IsAsciiLetterLower(c) || c == '_')), string.Join(", ", results));
        CollectionAssert.Contains(results, "invalid_signature");
        CollectionAssert.Contains(results, "key_not_found");
    }

    [TestMethod]
    public void Verified_RsaOfAnUnusualSize_BoundedAlgorithmTag()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new KeyInfraMetrics(services.GetRequiredService<IMeterFactory>());
        var algorithms = new List<string?>();
        using var listener = Listen(services.GetRequiredService<IMeterFactory>(), (instrument, _, tags) =>
        {
            if (instrument == KeyInfraInstruments.Verifications)
            {
                algorithms.Add((string?)Tag(tags, KeyInfraInstruments.KeyAlgorithmTag));
            }
        });

        metrics.Verified(VerificationStatus.Valid, KeySpec.Rsa(2056));
        metrics.Verified(VerificationStatus.Valid, KeySpec.Rsa3072);
        metrics.Verified(VerificationStatus.KeyNotFound, null);

        CollectionAssert.AreEqual(new[] { "rsa", "rsa-3072", null }, algorithms);
    }

    [TestMethod]
    public void HotPathCalls_WithAListenerAttached_AllocateNothing()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new KeyInfraMetrics(factory);
        var seen = new StrongBox<long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument, seen);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>(static (_, _, _, state) => ((StrongBox<long>)state!).Value++);
        listener.SetMeasurementEventCallback<double>(static (_, _, _, state) => ((StrongBox<long>)state!).Value++);
        listener.Start();
        var spec = KeySpec.Rsa2048;
        metrics.CacheHit(KeyInfraInstruments.PublicKeyCache);
        metrics.Verified(VerificationStatus.Valid, spec, Stopwatch.GetTimestamp());
        seen.Value = 0;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            metrics.CacheHit(KeyInfraInstruments.PublicKeyCache);
            metrics.Verified(VerificationStatus.Valid, spec, Stopwatch.GetTimestamp());
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A hit, a verification and its duration per round.
        Assert.AreEqual(3000, seen.Value);
        Assert.AreEqual(0, allocated);
    }

    // Listens to every KeyInfra instrument of one meter factory (so parallel tests do not hear each other).
    private static MeterListener Listen(IMeterFactory factory, Action<string, double, KeyValuePair<string, object?>[]> onMeasurement)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == KeyInfraInstruments.MeterName && instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => onMeasurement(instrument.Name, value, Copy(tags)));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => onMeasurement(instrument.Name, value, Copy(tags)));
        listener.Start();
        return listener;
    }

    private static KeyValuePair<string, object?>[] Copy(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.ToArray();

    private static object? Tag(KeyValuePair<string, object?>[] tags, string name)
        => tags.FirstOrDefault(t => t.Key == name).Value;
}
