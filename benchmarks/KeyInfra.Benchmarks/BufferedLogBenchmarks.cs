using BenchmarkDotNet.Attributes;
using KeyInfra.Verification;

namespace KeyInfra.Benchmarks;

/// <summary>
/// Case 3: verify + Buffered log on SQLite (a call returns once its record is queued; the writer commits in the
/// background, and callers wait when the queue is full) with 1, 2, 8 and 64 concurrent callers, against the raw
/// verify on as many tasks.
/// </summary>
[MemoryDiagnoser]
public class BufferedLogBenchmarks : ConcurrentVerifyBenchmarks
{
    /// <inheritdoc />
    protected override LogMode Mode => LogMode.Buffered;
}
