// PLACEHOLDER until the encryption branch lands; replaced by the real validator on merge.
#pragma warning disable CA1822
namespace KeyInfra.Encryption;

internal sealed class MasterKeyValidator
{
    public Task EnsureValidatedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class EnvelopeEncryptor : IEnvelopeEncryptor
{
    public ValueTask<byte[]> EncryptAsync(ReadOnlyMemory<byte> plaintext, EncryptionContext context, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public ValueTask<byte[]> DecryptAsync(ReadOnlyMemory<byte> ciphertext, EncryptionContext context, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public ValueTask<byte[]> RewrapAsync(ReadOnlyMemory<byte> ciphertext, EncryptionContext context, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public string GetMasterKeyId(ReadOnlySpan<byte> ciphertext) => throw new NotImplementedException();
}

internal sealed class PrivateKeyReencryptor : IPrivateKeyReencryptor
{
    public Task<ReencryptionSummary> ReencryptAllAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
