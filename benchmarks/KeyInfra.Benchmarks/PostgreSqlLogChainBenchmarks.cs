namespace KeyInfra.Benchmarks;

/// <summary>
/// <see cref="LogChainBenchmarks"/> on PostgreSQL (the application role over TLS, fsync and synchronous commit on), where
/// several instances each keep a chain: what the digest row and the sealing cost a group commit whose own cost is a
/// round trip and a WAL flush. Needs <c>KEYINFRA_BENCH_PG</c> and <c>KEYINFRA_BENCH_PG_OWNER</c> (see
/// <see cref="BenchmarkHost.StartPostgreSql"/>).
/// </summary>
public class PostgreSqlLogChainBenchmarks : LogChainBenchmarks
{
    /// <inheritdoc />
    protected override BenchmarkHost StartHost() => BenchmarkHost.StartPostgreSql();
}
