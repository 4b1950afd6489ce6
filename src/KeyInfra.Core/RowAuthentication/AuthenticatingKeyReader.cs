using KeyInfra.Keys;
using KeyInfra.Storage;

namespace KeyInfra.RowAuthentication;

/// <summary>
/// The <see cref="IKeyReader"/> the caches read through: whatever reader the host registered (storage, or a shared
/// cache in front of it), with every record it returns checked by <see cref="KeyRowAuthenticator"/> before the cache
/// parses, imports or keeps anything. A record that fails throws <see cref="Errors.KeyTamperedException"/>.
/// </summary>
internal sealed class AuthenticatingKeyReader(IKeyReader inner, KeyRowAuthenticator rows) : IKeyReader
{
    public async Task<KeyRecord?> ReadAsync(Guid tenantId, KeyId keyId, KeyReadPurpose purpose, CancellationToken cancellationToken = default)
    {
        var record = await inner.ReadAsync(tenantId, keyId, purpose, cancellationToken).ConfigureAwait(false);

        // A reader that returned another key's row (a mixed-up cache) must not pass for this key.
        if (record is not null && (record.TenantId != tenantId || record.Id != keyId))
        {
            throw Errors.ThrowHelper.KeyTampered(keyId, "the reader returned another key's row");
        }

        return await rows.CheckAsync(record, cancellationToken).ConfigureAwait(false);
    }
}
