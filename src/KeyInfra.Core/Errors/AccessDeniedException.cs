using KeyInfra.Authorization;
using KeyInfra.Keys;

namespace KeyInfra.Errors;

/// <summary>
/// The host's <see cref="IKeyInfraAuthorizer"/> denied the caller this operation (KI5001). Nothing was changed
/// or returned. A denied verification does not throw: it returns <see cref="Verification.VerificationStatus.AccessDenied"/>.
/// </summary>
public sealed class AccessDeniedException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    public AccessDeniedException(string errorCode, string message, KeyInfraOperation operation, KeyId? keyId, string? callerId)
        : base(errorCode, message)
    {
        Operation = operation;
        KeyId = keyId;
        CallerId = callerId;
    }

    /// <summary>The operation that was denied.</summary>
    public KeyInfraOperation Operation { get; }

    /// <summary>The key the operation named, if it named one.</summary>
    public KeyId? KeyId { get; }

    /// <summary>The <see cref="Caller.StableId"/> of the caller that was denied; <c>null</c> when the host set no caller.</summary>
    public string? CallerId { get; }
}
