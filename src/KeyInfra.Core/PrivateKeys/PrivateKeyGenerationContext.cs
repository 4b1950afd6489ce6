using KeyInfra.Keys;
using KeyInfra.Storage;

namespace KeyInfra.PrivateKeys;

/// <summary>What a backend knows about the key it generates (<see cref="IPrivateKeyBackend.GenerateAsync"/>).</summary>
/// <param name="TenantId">The tenant the key belongs to.</param>
/// <param name="KeyId">The id the key will be stored under (bind encryption or HSM labels to it).</param>
public sealed record PrivateKeyGenerationContext(Guid TenantId, KeyId KeyId)
{
    /// <summary>
    /// The backend-specific options of the request (<see cref="CreateKeyRequest.BackendOptions"/>), such as an HSM slot;
    /// empty when none were given. The backend refuses options it does not know.
    /// </summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// On rotation, the private key of the ring's previous version (held by this backend), so the new key can be
    /// placed where the old one was (the same HSM slot); <c>null</c> for a new key.
    /// </summary>
    public PrivateKeyRecord? Previous { get; init; }
}
