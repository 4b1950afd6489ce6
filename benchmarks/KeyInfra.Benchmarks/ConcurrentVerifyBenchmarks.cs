using BenchmarkDotNet.Attributes;
using KeyInfra.Keys;
using KeyInfra.Sqlite;
using KeyInfra.Verification;

namespace KeyInfra.Benchmarks;

/// <summary>
/// Verification with the log on, by several concurrent callers, against the raw platform verify run by as many
/// concurrent tasks. Each invocation performs <see cref="Operations"/> verifications split evenly between the
/// callers, so every row of the table reads per verification (throughput is its inverse).
/// </summary>
/// <remarks>The key is an ECDSA P-256 key, the most common; the message is 256 bytes.</remarks>
public abstract class ConcurrentVerifyBenchmarks : IDisposable
{
    /// <summary>Verifications per invocation (divisible by every <see cref="Callers"/> value).</summary>
    public const int Operations = 512;

    private readonly byte[] _message = new byte[256];
    private BenchmarkHost _host = null!;
    private RawKey _raw = null!;
    private byte[] _signature = null!;
    private VerificationRequest _request = null!;

    /// <summary>How many callers verify at once.</summary>
    [Params(1, 2, 8, 64)]
    public int Callers { get; set; } = 1;

    /// <summary>The log mode of the host.</summary>
    protected abstract LogMode Mode { get; }

    /// <summary>SQLite's synchronous mode (<see cref="SqliteSynchronousMode.Full"/>, the default, syncs every commit to disk).</summary>
    protected virtual SqliteSynchronousMode Synchronous => SqliteSynchronousMode.Full;

    /// <summary>Starts a host in <see cref="Mode"/>, creates and signs with a P-256 key, warms the cache.</summary>
    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_message);
        _host = BenchmarkHost.Start(o => o.VerificationLog.Mode = Mode, o => o.Synchronous = Synchronous);
        var (key, signature) = _host.CreateSignedKey(KeySpec.EcdsaP256, _message);
        _signature = signature;
        _raw = new RawKey(key);
        _request = new VerificationRequest(key.Id, _message, _signature);
        var warm = _host.Verifier.VerifyAsync(_request).GetAwaiter().GetResult();
        if (!warm.IsValid || warm.RecordId is null)
        {
            throw new InvalidOperationException($"The warm-up verification was {warm.Status} (record {warm.RecordId}).");
        }
    }

    /// <summary>The raw platform verify on <see cref="Callers"/> concurrent tasks.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public Task RawVerifyParallel()
    {
        var perCaller = Operations / Callers;
        var tasks = new Task[Callers];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(() =>
            {
                for (var j = 0; j < perCaller; j++)
                {
                    if (!_raw.Verify(_message, _signature))
                    {
                        throw new InvalidOperationException("The raw verify failed.");
                    }
                }
            });
        }

        return Task.WhenAll(tasks);
    }

    /// <summary><see cref="IVerifier.VerifyAsync"/> by <see cref="Callers"/> concurrent callers, each awaiting its own calls in turn.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task KeyInfraVerify()
    {
        var perCaller = Operations / Callers;
        var tasks = new Task[Callers];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(async () =>
            {
                for (var j = 0; j < perCaller; j++)
                {
                    var result = await _host.Verifier.VerifyAsync(_request).ConfigureAwait(false);
                    if (!result.IsValid)
                    {
                        throw new InvalidOperationException($"KeyInfra returned {result.Status}.");
                    }
                }
            });
        }

        return Task.WhenAll(tasks);
    }

    /// <summary>Stops the host (flushing the log) and deletes its database.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _raw?.Dispose();
        _host?.Dispose();
        GC.SuppressFinalize(this);
    }
}
