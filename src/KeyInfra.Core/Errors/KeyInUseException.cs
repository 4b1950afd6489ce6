using KeyInfra.Keys;

namespace KeyInfra.Errors;

/// <summary>The key cannot be deleted because verification records refer to it; revoke it instead.</summary>
public sealed class KeyInUseException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    public KeyInUseException(string errorCode, string message, KeyId keyId)
        : base(errorCode, message)
    {
        KeyId = keyId;
    }

    /// <summary>The key.</summary>
    public KeyId KeyId { get; }
}
