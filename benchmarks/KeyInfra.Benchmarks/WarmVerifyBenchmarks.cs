using BenchmarkDotNet.Attributes;
using KeyInfra.Keys;
using KeyInfra.Verification;

namespace KeyInfra.Benchmarks;

/// <summary>
/// Case 1: one warm <see cref="IVerifier.VerifyAsync"/> with the log Off (key cached, nothing recorded) against
/// the raw platform verify with a cached key object, per algorithm. Goal: at most 1.10× the raw time and at most
/// 300 bytes more allocated per call.
/// </summary>
[MemoryDiagnoser]
public class WarmVerifyBenchmarks : IDisposable
{
    private readonly byte[] _message = new byte[256];
    private BenchmarkHost _host = null!;
    private RawKey _raw = null!;
    private byte[] _signature = null!;
    private VerificationRequest _request = null!;

    /// <summary>The key spec measured.</summary>
    [Params("ecdsa-p256", "ecdsa-secp256k1", "ed25519", "rsa-2048")]
    public string Spec { get; set; } = "ecdsa-p256";

    /// <summary>Starts a host with the log Off, creates and signs with a key, warms the cache.</summary>
    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_message);
        _host = BenchmarkHost.Start(o => o.VerificationLog.Mode = LogMode.Off);
        var (key, signature) = _host.CreateSignedKey(KeySpec.Parse(Spec), _message);
        _signature = signature;
        _raw = new RawKey(key);
        _request = new VerificationRequest(key.Id, _message, _signature);
        var warm = _host.Verifier.VerifyAsync(_request).GetAwaiter().GetResult();
        if (!warm.IsValid || !_raw.Verify(_message, _signature))
        {
            throw new InvalidOperationException($"The {Spec} signature did not verify: {warm.Status}.");
        }
    }

    /// <summary>The platform's verify with its key object imported once.</summary>
    [Benchmark(Baseline = true)]
    public bool RawVerify() => _raw.Verify(_message, _signature);

    /// <summary>KeyInfra's warm verification, log Off.</summary>
    [Benchmark]
    public Task<VerificationResult> KeyInfraVerifyLogOff() => _host.Verifier.VerifyAsync(_request);

    /// <summary>Stops the host and deletes its database.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _raw?.Dispose();
        _host?.Dispose();
        GC.SuppressFinalize(this);
    }
}
