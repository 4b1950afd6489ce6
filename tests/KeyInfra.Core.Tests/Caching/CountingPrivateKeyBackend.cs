using KeyInfra.Keys;
using KeyInfra.PrivateKeys;
using KeyInfra.Signing;
using KeyInfra.Storage;

namespace KeyInfra.Core.Tests.Caching;

/// <summary>
/// A second implementation of the <see cref="IPrivateKeyBackend"/> seam that counts the keys it opens and the handles
/// disposed; its handles are cacheable and sign nothing real.
/// </summary>
internal sealed class CountingPrivateKeyBackend : IPrivateKeyBackend
{
    public const string BackendName = "counting";

    private int _opened;
    private int _disposed;

    public string Name => BackendName;

    public int Opened => Volatile.Read(ref _opened);

    public int Disposed => Volatile.Read(ref _disposed);

    public Task<GeneratedPrivateKey> GenerateAsync(KeySpec spec, PrivateKeyGenerationContext context, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("The cache tests store their keys directly.");

    public Task<IPrivateKeyHandle> OpenAsync(KeyRecord key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _opened);
        return Task.FromResult<IPrivateKeyHandle>(new Handle(this));
    }

    private sealed class Handle(CountingPrivateKeyBackend backend) : IPrivateKeyHandle
    {
        public bool IsCacheable => true;

        public Task<byte[]> SignAsync(ReadOnlyMemory<byte> input, bool inputIsHash, SignatureParameters parameters, CancellationToken cancellationToken = default)
            => Task.FromResult(Array.Empty<byte>());

        public void Dispose() => Interlocked.Increment(ref backend._disposed);
    }
}
