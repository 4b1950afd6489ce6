using KeyInfra.Signing;

namespace KeyInfra.PrivateKeys;

/// <summary>An opened private key, returned by <see cref="IPrivateKeyBackend.OpenAsync"/>: signs until disposed.</summary>
/// <remarks>
/// A cacheable handle is kept by the signing cache for <c>KeyCache.SigningKeyTimeToLive</c> and used by concurrent
/// signatures, so its <see cref="SignAsync"/> must be thread-safe; it is disposed once it is evicted and no signature
/// uses it any more. A handle that is not cacheable is opened for one signature and disposed right after it.
/// Disposing frees (and, where the platform allows, zeroes) what the handle holds.
/// </remarks>
public interface IPrivateKeyHandle : IDisposable
{
    /// <summary>
    /// Whether the signing cache may keep this handle and share it between signatures. <c>false</c> for a handle
    /// bound to one session or one operation (an HSM session, a one-time authorization).
    /// </summary>
    bool IsCacheable { get; }

    /// <summary>Signs a message, or its hash when <paramref name="inputIsHash"/>.</summary>
    /// <param name="input">The message, or its hash (as long as <see cref="SignatureParameters.Hash"/>'s output).</param>
    /// <param name="inputIsHash">Whether <paramref name="input"/> is a hash; never for Ed25519, which signs messages.</param>
    /// <param name="parameters">The resolved hash, encoding, padding and salt length.</param>
    /// <param name="cancellationToken">Cancels the signature.</param>
    /// <returns>The signature in the encoding <paramref name="parameters"/> names.</returns>
    /// <exception cref="ArgumentException">The input does not fit the key or the parameters (a hash for Ed25519, a hash of the wrong length, an unsupported hash or salt length).</exception>
    Task<byte[]> SignAsync(ReadOnlyMemory<byte> input, bool inputIsHash, SignatureParameters parameters, CancellationToken cancellationToken = default);
}
