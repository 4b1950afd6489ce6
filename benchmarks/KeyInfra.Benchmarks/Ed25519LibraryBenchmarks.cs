using BenchmarkDotNet.Attributes;
using NSec.Cryptography;
using BcEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace KeyInfra.Benchmarks;

/// <summary>
/// Ed25519 in the two vetted libraries KeyInfra could use (the BCL has none): NSec (libsodium, native)
/// and BouncyCastle (managed). Same key, same 256-byte message, verify and sign. The baseline is NSec verify.
/// </summary>
[MemoryDiagnoser]
public class Ed25519LibraryBenchmarks : IDisposable
{
    private readonly byte[] _message = new byte[256];
    private Key _nsecKey = null!;
    private PublicKey _nsecPublicKey = null!;
    private byte[] _seed = null!;
    private byte[] _publicKey = null!;
    private BcEd25519.PublicPoint _bcPublicPoint = null!;
    private byte[] _signature = null!;
    private readonly byte[] _signatureBuffer = new byte[64];

    /// <summary>Creates one key and one signature shared by every benchmark.</summary>
    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_message);
        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        _nsecKey = Key.Create(SignatureAlgorithm.Ed25519, parameters);
        _nsecPublicKey = _nsecKey.PublicKey;
        _seed = _nsecKey.Export(KeyBlobFormat.RawPrivateKey);
        _publicKey = _nsecPublicKey.Export(KeyBlobFormat.RawPublicKey);
        // BouncyCastle's fastest verify path: the public key decoded once, as a cache would hold it.
        _bcPublicPoint = BcEd25519.ValidatePublicKeyFullExport(_publicKey)!;
        _signature = SignatureAlgorithm.Ed25519.Sign(_nsecKey, _message);
    }

    /// <summary>NSec (libsodium) verify.</summary>
    [Benchmark(Baseline = true)]
    public bool NSecVerify() => SignatureAlgorithm.Ed25519.Verify(_nsecPublicKey, _message, _signature);

    /// <summary>BouncyCastle verify with the public point decoded once.</summary>
    [Benchmark]
    public bool BouncyCastleVerifyPrecomputedPoint() => BcEd25519.Verify(_signature, _bcPublicPoint, _message);

    /// <summary>BouncyCastle verify from the 32-byte public key (decodes the point every call).</summary>
    [Benchmark]
    public bool BouncyCastleVerifyRawKey() => BcEd25519.Verify(_signature, _publicKey, _message);

    /// <summary>NSec (libsodium) sign.</summary>
    [Benchmark]
    public void NSecSign() => SignatureAlgorithm.Ed25519.Sign(_nsecKey, _message, _signatureBuffer);

    /// <summary>BouncyCastle sign from the seed.</summary>
    [Benchmark]
    public void BouncyCastleSign() => BcEd25519.Sign(_seed, _publicKey, _message, _signatureBuffer);

    /// <summary>Frees the NSec key.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _nsecKey?.Dispose();
        GC.SuppressFinalize(this);
    }
}
