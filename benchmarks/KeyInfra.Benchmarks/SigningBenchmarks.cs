using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using KeyInfra.Keys;
using KeyInfra.Signing;
using NSec.Cryptography;

namespace KeyInfra.Benchmarks;

/// <summary>
/// Case 6: <see cref="ISigner.SignAsync"/> with a software key whose private key is encrypted at rest: with the
/// decrypted key cached (the default, <see cref="KeyCacheOptions.SigningKeyTimeToLive"/> 5 minutes) and with the
/// cache off (TTL zero: every call reads the key row, unwraps the data key, decrypts and imports the private
/// key), against the raw platform sign with a key object held in memory. Both record each signature's decision in the
/// data-plane audit log (Buffered, the default); <see cref="KeyInfraSignCachedUnaudited"/> is the cached case with that
/// log Off, so the two show what the audit record costs.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks : IDisposable
{
    private readonly byte[] _message = new byte[256];
    private BenchmarkHost _cached = null!;
    private BenchmarkHost _uncached = null!;
    private BenchmarkHost _unaudited = null!;
    private SignRequest _cachedRequest = null!;
    private SignRequest _unauditedRequest = null!;
    private SignRequest _uncachedRequest = null!;
    private KeySpec _spec = null!;
    private ECDsa? _ecdsa;
    private RSA? _rsa;
    private Key? _ed25519;

    /// <summary>The key spec measured.</summary>
    [Params("ecdsa-p256", "ed25519", "rsa-2048")]
    public string Spec { get; set; } = "ecdsa-p256";

    /// <summary>Starts three hosts (signing-key cache on and off; cache on without the data-plane log), creates a key in each, makes the raw key.</summary>
    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_message);
        _spec = KeySpec.Parse(Spec);
        _cached = BenchmarkHost.Start(o => o.VerificationLog.Mode = Verification.LogMode.Off);
        _uncached = BenchmarkHost.Start(o =>
        {
            o.VerificationLog.Mode = Verification.LogMode.Off;
            o.KeyCache.SigningKeyTimeToLive = TimeSpan.Zero;
        });
        _unaudited = BenchmarkHost.Start(o =>
        {
            o.VerificationLog.Mode = Verification.LogMode.Off;
            o.Audit.DataPlane = Verification.LogMode.Off;
        });
        _cachedRequest = new SignRequest(_cached.CreateSignedKey(_spec, _message).Key.Id, _message);
        _unauditedRequest = new SignRequest(_unaudited.CreateSignedKey(_spec, _message).Key.Id, _message);
        _uncachedRequest = new SignRequest(_uncached.CreateSignedKey(_spec, _message).Key.Id, _message);
        switch (_spec.Algorithm)
        {
            case KeyAlgorithm.Ecdsa:
                _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                break;
            case KeyAlgorithm.Rsa:
                _rsa = RSA.Create(_spec.KeySizeBits);
                break;
            default:
                _ed25519 = Key.Create(SignatureAlgorithm.Ed25519);
                break;
        }
    }

    /// <summary>The platform's sign with its key object in memory (P1363 for ECDSA, PSS for RSA, as KeyInfra's defaults).</summary>
    [Benchmark(Baseline = true)]
    public byte[] RawSign()
    {
        if (_ecdsa is not null)
        {
            return _ecdsa.SignData(_message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        if (_rsa is not null)
        {
            return _rsa.SignData(_message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        }

        return SignatureAlgorithm.Ed25519.Sign(_ed25519!, _message);
    }

    /// <summary>KeyInfra with the decrypted key cached.</summary>
    [Benchmark]
    public Task<SignResult> KeyInfraSignCached() => _cached.Signer.SignAsync(_cachedRequest);

    /// <summary>KeyInfra with the decrypted key cached and no data-plane audit record.</summary>
    [Benchmark]
    public Task<SignResult> KeyInfraSignCachedUnaudited() => _unaudited.Signer.SignAsync(_unauditedRequest);

    /// <summary>KeyInfra with the signing-key cache off: read, unwrap, decrypt and import on every call.</summary>
    [Benchmark]
    public Task<SignResult> KeyInfraSignUnwrapPerCall() => _uncached.Signer.SignAsync(_uncachedRequest);

    /// <summary>Stops both hosts and deletes their databases.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
        _ed25519?.Dispose();
        _cached?.Dispose();
        _uncached?.Dispose();
        _unaudited?.Dispose();
        GC.SuppressFinalize(this);
    }
}
