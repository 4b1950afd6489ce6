using KeyInfra.Keys;

namespace KeyInfra.Errors;

/// <summary>
/// A key's stored row failed authentication (<see cref="ErrorCodes.KeyRowAuthenticationFailed"/>): it was changed
/// outside KeyInfra, or it lacks a MAC on a database whose rows are all authenticated. The key is not used for
/// anything; a verification against it reports <see cref="Verification.VerificationStatus.KeyTampered"/>.
/// </summary>
/// <remarks>The message names the key and why; it never holds key material.</remarks>
public sealed class KeyTamperedException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The error code.</param>
    /// <param name="message">What was wrong and what to do.</param>
    /// <param name="keyId">The refused key.</param>
    public KeyTamperedException(string errorCode, string message, KeyId keyId)
        : base(errorCode, message)
    {
        KeyId = keyId;
    }

    /// <summary>The refused key.</summary>
    public KeyId KeyId { get; }
}
