using KeyInfra.Keys;

namespace KeyInfra.Storage;

/// <summary>
/// Reads keys for the in-process caches of imported public keys and opened private keys, saying what the read is
/// for. The default reads <see cref="IKeyRepository"/>; a shared cache (Redis) can be placed here, in front of storage.
/// </summary>
/// <remarks>
/// <para>Contract: a read for <see cref="KeyReadPurpose.Verification"/> returns <see cref="KeyRecord.PrivateKey"/> as
/// <c>null</c> and never reads private key material (<see cref="KeyRecord.HasPrivateKey"/> still says whether there
/// is one); a read for <see cref="KeyReadPurpose.Signing"/> includes the private key. A reader that cannot read all it
/// needs throws rather than returning part. <see cref="KeyRecord.Version"/> lets a caching reader tell a stale copy.</para>
/// <para>Thread-safe; registered as a singleton.</para>
/// </remarks>
public interface IKeyReader
{
    /// <summary>Reads a key of a tenant, or <c>null</c> if there is none with that id.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="keyId">The key.</param>
    /// <param name="purpose">What the key is read for.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<KeyRecord?> ReadAsync(Guid tenantId, KeyId keyId, KeyReadPurpose purpose, CancellationToken cancellationToken = default);
}
