using BenchmarkDotNet.Attributes;
using KeyInfra.Sqlite;
using KeyInfra.Verification;

namespace KeyInfra.Benchmarks;

/// <summary>
/// Case 2: verify + Durable log on SQLite (every call returns once its record is committed, synchronous=FULL)
/// with 1, 2, 8 and 64 concurrent callers, against the raw verify on as many tasks.
/// Goal: at least 0.70× the raw throughput with 2 or more callers. Also with synchronous=NORMAL, to show what
/// the disk sync of each commit costs (NORMAL survives a crash of the process, not of the machine).
/// </summary>
[MemoryDiagnoser]
public class DurableLogBenchmarks : ConcurrentVerifyBenchmarks
{
    /// <summary>SQLite's synchronous mode.</summary>
    [Params(SqliteSynchronousMode.Full, SqliteSynchronousMode.Normal)]
    public SqliteSynchronousMode Sync { get; set; } = SqliteSynchronousMode.Full;

    /// <inheritdoc />
    protected override LogMode Mode => LogMode.Durable;

    /// <inheritdoc />
    protected override SqliteSynchronousMode Synchronous => Sync;
}
