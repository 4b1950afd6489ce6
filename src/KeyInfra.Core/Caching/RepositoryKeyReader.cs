using KeyInfra.Keys;
using KeyInfra.Storage;

namespace KeyInfra.Caching;

/// <summary>The default <see cref="IKeyReader"/>: reads storage, with the private key only when signing.</summary>
internal sealed class RepositoryKeyReader(IKeyRepository repository) : IKeyReader
{
    public Task<KeyRecord?> ReadAsync(Guid tenantId, KeyId keyId, KeyReadPurpose purpose, CancellationToken cancellationToken = default)
        => repository.FindAsync(tenantId, keyId, includePrivateKey: purpose == KeyReadPurpose.Signing, cancellationToken);
}
