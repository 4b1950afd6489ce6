using BenchmarkDotNet.Attributes;
using KeyInfra.Keys;
using KeyInfra.Verification;

namespace KeyInfra.Benchmarks;

/// <summary>
/// Case 5: <see cref="IVerifier.VerifyBatchAsync"/> of 10,000 mixed requests — P-256, secp256k1, Ed25519 and
/// RSA-2048 keys; 70% valid, 10% invalid, 10% malformed signatures, 10% unknown key ids — against a
/// single-thread loop of raw platform verifies over the same requests. Per verification. With the log Durable
/// (the batch row and its 10,000 items committed in one transaction before the call returns) and Off.
/// Goal: at least 1.7× the single-thread loop on 2 cores.
/// </summary>
[MemoryDiagnoser]
public class BatchVerifyBenchmarks : IDisposable
{
    /// <summary>Requests per batch.</summary>
    public const int Requests = 10_000;

    private static readonly KeySpec[] Specs = [KeySpec.EcdsaP256, KeySpec.EcdsaSecp256k1, KeySpec.Ed25519, KeySpec.Rsa2048];

    private readonly Dictionary<KeyId, RawKey> _rawKeys = [];
    private BenchmarkHost _host = null!;
    private VerificationRequest[] _requests = null!;

    /// <summary>The log mode of the host.</summary>
    [Params(LogMode.Durable, LogMode.Off)]
    public LogMode Mode { get; set; } = LogMode.Durable;

    /// <summary>Starts a host, creates one key per algorithm, builds the 10,000 requests.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _host = BenchmarkHost.Start(o => o.VerificationLog.Mode = Mode);
        var random = new Random(42);
        var keys = new (KeyInfo Key, byte[] Message, byte[] Signature)[Specs.Length];
        for (var i = 0; i < Specs.Length; i++)
        {
            var message = new byte[256];
            random.NextBytes(message);
            var (key, signature) = _host.CreateSignedKey(Specs[i], message);
            keys[i] = (key, message, signature);
            _rawKeys[key.Id] = new RawKey(key);
        }

        var otherMessage = new byte[256];
        random.NextBytes(otherMessage);
        _requests = new VerificationRequest[Requests];
        for (var i = 0; i < Requests; i++)
        {
            var (key, message, signature) = keys[i % keys.Length];
            _requests[i] = (i / keys.Length % 10) switch
            {
                7 => new VerificationRequest(key.Id, otherMessage, signature),
                8 => new VerificationRequest(key.Id, message, signature.AsMemory(0, signature.Length - 1)),
                9 => new VerificationRequest(KeyId.New(), message, signature),
                _ => new VerificationRequest(key.Id, message, signature),
            };
        }

        var check = _host.Verifier.VerifyBatchAsync(_requests).GetAwaiter().GetResult();
        if (check.ValidCount != Requests * 7 / 10 || RawLoop() != Requests * 7 / 10)
        {
            throw new InvalidOperationException($"Expected {Requests * 7 / 10} valid signatures; KeyInfra found {check.ValidCount}.");
        }
    }

    /// <summary>One thread, the platform's verify for each request (an unknown key id costs a dictionary miss).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public int RawSingleThreadLoop() => RawLoop();

    /// <summary>KeyInfra's batch verification on every core, recorded as one batch.</summary>
    [Benchmark(OperationsPerInvoke = Requests)]
    public Task<BatchVerificationResult> KeyInfraVerifyBatch() => _host.Verifier.VerifyBatchAsync(_requests);

    /// <summary>Stops the host and deletes its database.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var raw in _rawKeys.Values)
        {
            raw.Dispose();
        }

        _rawKeys.Clear();
        _host?.Dispose();
        GC.SuppressFinalize(this);
    }

    private int RawLoop()
    {
        var valid = 0;
        foreach (var request in _requests)
        {
            if (_rawKeys.TryGetValue(request.KeyId, out var raw) && raw.Verify(request.Data!.Value.Span, request.Signature.Span))
            {
                valid++;
            }
        }

        return valid;
    }
}
