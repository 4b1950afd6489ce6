namespace KeyInfra.Signing;

/// <summary>Signs with keys whose private key KeyInfra holds.</summary>
/// <remarks>Thread-safe; registered as a singleton.</remarks>
public interface ISigner
{
    /// <summary>Signs the request's data or hash.</summary>
    /// <exception cref="Errors.UnknownKeyException">There is no such key.</exception>
    /// <exception cref="Errors.KeyStateException">The key is revoked or expired, or has no private key.</exception>
    /// <exception cref="ArgumentException">The request does not fit the key (a hash for Ed25519, a hash of the wrong length).</exception>
    Task<SignResult> SignAsync(SignRequest request, CancellationToken cancellationToken = default);
}
