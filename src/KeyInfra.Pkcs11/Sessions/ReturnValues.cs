using KeyInfra.Pkcs11.Errors;
using Net.Pkcs11Interop.Common;

namespace KeyInfra.Pkcs11.Sessions;

/// <summary>How KeyInfra treats PKCS#11 return values.</summary>
internal static class ReturnValues
{
    /// <summary>The session or the login is gone, or the token went away: renew the pool's sessions (log in again) and retry once.</summary>
    public static bool NeedsRenewal(CKR rv) => rv is CKR.CKR_SESSION_HANDLE_INVALID or CKR.CKR_SESSION_CLOSED or CKR.CKR_USER_NOT_LOGGED_IN
        or CKR.CKR_DEVICE_REMOVED or CKR.CKR_TOKEN_NOT_PRESENT or CKR.CKR_TOKEN_NOT_RECOGNIZED or CKR.CKR_DEVICE_ERROR;

    /// <summary>The object handle is stale: find the object again.</summary>
    public static bool IsStaleHandle(CKR rv) => rv is CKR.CKR_KEY_HANDLE_INVALID or CKR.CKR_OBJECT_HANDLE_INVALID;

    /// <summary>The token cannot do what was asked with this key type or mechanism.</summary>
    public static bool IsUnsupported(CKR rv) => rv is CKR.CKR_MECHANISM_INVALID or CKR.CKR_MECHANISM_PARAM_INVALID
        or CKR.CKR_KEY_TYPE_INCONSISTENT or CKR.CKR_DOMAIN_PARAMS_INVALID or CKR.CKR_CURVE_NOT_SUPPORTED or CKR.CKR_KEY_SIZE_RANGE
        or CKR.CKR_TEMPLATE_INCONSISTENT or CKR.CKR_ATTRIBUTE_VALUE_INVALID;

    /// <summary>The typed error for a PKCS#11 call that failed with no special handling: KI6011 for what the token does not support, else KI6013.</summary>
    public static HsmException ToHsmException(string pool, Pkcs11Exception e) => IsUnsupported(e.RV)
        ? new HsmException(Pkcs11ErrorCodes.MechanismNotSupported, $"The token of {pool} cannot do what was asked: {e.Method} returned {e.RV}. The token does not support this key type, size or mechanism; use another, or a token that supports it.", e.RV.ToString(), e)
        : new HsmException(Pkcs11ErrorCodes.OperationFailed, $"A PKCS#11 call on the token of {pool} failed: {e.Method} returned {e.RV}.", e.RV.ToString(), e);

    /// <summary>The session itself may be unusable after this error: close it rather than lend it again.</summary>
    public static bool PoisonsSession(CKR rv) => NeedsRenewal(rv) || rv is CKR.CKR_OPERATION_ACTIVE or CKR.CKR_GENERAL_ERROR or CKR.CKR_FUNCTION_FAILED;
}
