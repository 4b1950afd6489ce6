using KeyInfra.Keys;

namespace KeyInfra.Errors;

/// <summary>The key exists but cannot be used for the operation: it is revoked, expired, or has no private key.</summary>
public sealed class KeyStateException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    public KeyStateException(string errorCode, string message, KeyId keyId)
        : base(errorCode, message)
    {
        KeyId = keyId;
    }

    /// <summary>The key.</summary>
    public KeyId KeyId { get; }
}
