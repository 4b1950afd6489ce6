using BenchmarkDotNet.Attributes;
using KeyInfra.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Benchmarks;

/// <summary>
/// One warm verification through KeyInfra's <see cref="VerificationKey"/> per algorithm: the cost of the
/// crypto itself (the floor of the verification pipeline), with hashing of a 256-byte message included.
/// </summary>
[MemoryDiagnoser]
public class VerificationKeyBenchmarks : IDisposable
{
    private readonly byte[] _message = new byte[256];
    private readonly Dictionary<string, (VerificationKey Key, byte[] Signature, SignatureParameters Parameters)> _cases = [];

    /// <summary>The key spec measured.</summary>
    [Params("ed25519", "ecdsa-p256", "ecdsa-secp256k1", "rsa-2048")]
    public string Spec { get; set; } = "ed25519";

    /// <summary>Generates a key, signs once, imports the public key.</summary>
    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_message);
        var spec = KeySpec.Parse(Spec);
        using var signingKey = SigningKey.Generate(spec);
        var parameters = new SignatureParameters(spec.DefaultHashAlgorithm, SignatureEncoding.P1363, RsaPadding.Pss);
        var signature = signingKey.Sign(_message, false, parameters);
        _cases[Spec] = (VerificationKey.Create(spec, signingKey.ExportSpki()), signature, parameters);
    }

    /// <summary>Verifies the 256-byte message.</summary>
    [Benchmark]
    public VerificationStatus Verify()
    {
        var (key, signature, parameters) = _cases[Spec];
        return key.Verify(_message, false, signature, parameters);
    }

    /// <summary>Frees the imported keys.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var (key, _, _) in _cases.Values)
        {
            key.Dispose();
        }

        _cases.Clear();
        GC.SuppressFinalize(this);
    }
}
