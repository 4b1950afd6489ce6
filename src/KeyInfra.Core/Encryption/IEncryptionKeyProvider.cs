namespace KeyInfra.Encryption;

/// <summary>
/// A source of master keys: the current one, which wraps new data keys, and older ones by id, so that
/// data wrapped before a rotation stays readable until it is re-wrapped.
/// </summary>
/// <remarks>
/// Implementations own the <see cref="MasterKey"/> instances they return (callers must not dispose them),
/// may cache them, and are thread-safe. One is registered per host, by a <c>Use…MasterKey()</c> method.
/// </remarks>
public interface IEncryptionKeyProvider
{
    /// <summary>The current master key.</summary>
    /// <exception cref="Errors.MasterKeyException">No usable master key is configured or the source is unreachable.</exception>
    ValueTask<MasterKey> GetCurrentKeyAsync(CancellationToken cancellationToken = default);

    /// <summary>A master key by id (the current one or an older one); <c>null</c> if the source has none with that id.</summary>
    ValueTask<MasterKey?> GetKeyAsync(string keyId, CancellationToken cancellationToken = default);
}
