using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using KeyInfra.Keys;
using KeyInfra.PrivateKeys;
using KeyInfra.Signing;
using KeyInfra.Storage;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// A second, real private-key backend: ECDSA key pairs held in this process's memory, found by an opaque random
/// reference, which is all the database stores. The option <c>cacheable=false</c> makes a key's handles single-use
/// (as an HSM session would be). Counts what it is asked to do, so tests can see the seam at work.
/// </summary>
internal sealed class ProcessLocalPrivateKeyBackend : IPrivateKeyBackend
{
    public const string BackendName = "process-local";
    public const string CacheableOption = "cacheable";

    private readonly ConcurrentDictionary<string, Held> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<PrivateKeyGenerationContext> _generated = new();
    private int _opens;
    private int _disposals;

    public string Name => BackendName;

    public IReadOnlyCollection<PrivateKeyGenerationContext> Generated => _generated;

    public int Opens => Volatile.Read(ref _opens);

    public int Disposals => Volatile.Read(ref _disposals);

    public bool Holds(string reference) => _keys.ContainsKey(reference);

    public Task<GeneratedPrivateKey> GenerateAsync(KeySpec spec, PrivateKeyGenerationContext context, CancellationToken cancellationToken = default)
    {
        var cacheable = true;
        foreach (var (name, value) in context.Options)
        {
            if (name != CacheableOption || !bool.TryParse(value, out cacheable))
            {
                throw new ArgumentException($"The {BackendName} backend knows only the option '{CacheableOption}' (true or false).", nameof(context));
            }
        }

        var curve = spec == KeySpec.EcdsaP256 ? ECCurve.NamedCurves.nistP256
            : spec == KeySpec.EcdsaP384 ? ECCurve.NamedCurves.nistP384
            : throw new ArgumentException($"The {BackendName} backend holds P-256 and P-384 keys only.", nameof(spec));

        var key = ECDsa.Create(curve);
        var reference = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _keys[reference] = new Held(key, cacheable);
        _generated.Enqueue(context);

        // The reference is no secret, so it is stored unprotected (re-encryption must leave it alone). The backend
        // name is left to the key store, which stamps its own name on the record.
        var record = new PrivateKeyRecord(PrivateKeyProtection.None, Encoding.ASCII.GetBytes(reference), null) { Backend = "set by the key store" };
        return Task.FromResult(new GeneratedPrivateKey(key.ExportSubjectPublicKeyInfo(), record));
    }

    public Task<IPrivateKeyHandle> OpenAsync(KeyRecord key, CancellationToken cancellationToken = default)
    {
        var reference = Encoding.ASCII.GetString(key.PrivateKey!.Material);
        if (!_keys.TryGetValue(reference, out var held))
        {
            throw new InvalidOperationException($"The {BackendName} backend holds no key {reference} (it lives in another process).");
        }

        Interlocked.Increment(ref _opens);
        return Task.FromResult<IPrivateKeyHandle>(new Handle(this, held));
    }

    private sealed record Held(ECDsa Key, bool Cacheable);

    private sealed class Handle(ProcessLocalPrivateKeyBackend backend, Held held) : IPrivateKeyHandle
    {
        private int _disposed;

        public bool IsCacheable => held.Cacheable;

        public Task<byte[]> SignAsync(ReadOnlyMemory<byte> input, bool inputIsHash, SignatureParameters parameters, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var format = parameters.Encoding == SignatureEncoding.Der ? DSASignatureFormat.Rfc3279DerSequence : DSASignatureFormat.IeeeP1363FixedFieldConcatenation;
            var signature = inputIsHash
                ? held.Key.SignHash(input.Span, format)
                : held.Key.SignData(input.Span, parameters.Hash, format);
            return Task.FromResult(signature);
        }

        // The key stays in the backend's store; a handle only lends it.
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Increment(ref backend._disposals);
            }
        }
    }
}
