using KeyInfra.Cryptography;
using KeyInfra.Signing;

namespace KeyInfra.PrivateKeys;

/// <summary>A decrypted software key: cacheable, thread-safe, zeroed when disposed.</summary>
internal sealed class SoftwarePrivateKeyHandle(SigningKey key) : IPrivateKeyHandle
{
    public bool IsCacheable => true;

    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> input, bool inputIsHash, SignatureParameters parameters, CancellationToken cancellationToken = default)
        => Task.FromResult(key.Sign(input.Span, inputIsHash, parameters));

    public void Dispose() => key.Dispose();
}
