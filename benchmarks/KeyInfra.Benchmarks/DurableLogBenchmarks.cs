using BenchmarkDotNet.Attributes;
using KeyInfra.Verification;

namespace KeyInfra.Benchmarks;

/// <summary>
/// Case 2: verify + Durable log on SQLite (every call returns once its record is committed, synchronous=FULL)
/// with 1, 2, 8 and 64 concurrent callers, against the raw verify on as many tasks.
/// Goal: at least 0.70× the raw throughput with 2 or more callers.
/// </summary>
[MemoryDiagnoser]
public class DurableLogBenchmarks : ConcurrentVerifyBenchmarks
{
    /// <inheritdoc />
    protected override LogMode Mode => LogMode.Durable;
}
