using KeyInfra.Keys;

namespace KeyInfra.Errors;

/// <summary>No key with the given id (or ring name) exists in the current tenant.</summary>
public sealed class UnknownKeyException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    public UnknownKeyException(string errorCode, string message, KeyId? keyId = null)
        : base(errorCode, message)
    {
        KeyId = keyId;
    }

    /// <summary>The id that was not found, when the lookup was by id.</summary>
    public KeyId? KeyId { get; }
}
