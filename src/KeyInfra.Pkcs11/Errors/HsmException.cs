using KeyInfra.Errors;

namespace KeyInfra.Pkcs11.Errors;

/// <summary>
/// A PKCS#11 module, token, slot or token object could not be used as asked. <see cref="KeyInfraException.ErrorCode"/>
/// is one of <see cref="Pkcs11ErrorCodes"/>.
/// </summary>
/// <remarks>Messages name the slot, module, token label and the PKCS#11 return value, never a PIN or key material.</remarks>
public sealed class HsmException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">One of <see cref="Pkcs11ErrorCodes"/>.</param>
    /// <param name="message">What went wrong and what to do; never a secret.</param>
    /// <param name="returnValue">The PKCS#11 return value's name (<c>CKR_PIN_INCORRECT</c>), when a call returned one.</param>
    /// <param name="innerException">The cause.</param>
    public HsmException(string errorCode, string message, string? returnValue = null, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
        ReturnValue = returnValue;
    }

    /// <summary>The PKCS#11 return value's name (such as <c>CKR_PIN_INCORRECT</c>) that caused this, or <c>null</c>.</summary>
    public string? ReturnValue { get; }
}
