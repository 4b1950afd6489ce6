namespace KeyInfra.Pkcs11.Errors;

/// <summary>
/// The stable error codes of KeyInfra.Pkcs11 (range KI6001–KI6999), carried by <c>HsmException.ErrorCode</c>;
/// docs/errors.md explains each and what to do.
/// </summary>
public static class Pkcs11ErrorCodes
{
    /// <summary>A PKCS#11 library path that the host's options do not allow (<see cref="Pkcs11Options.AllowedModulePaths"/>); nothing was loaded.</summary>
    public const string ModulePathNotAllowed = "KI6001";

    /// <summary>The PKCS#11 library could not be loaded: the file is missing or is not a loadable library for this platform.</summary>
    public const string ModuleLoadFailed = "KI6002";

    /// <summary>The library loaded but is not a usable PKCS#11 module (no <c>C_GetFunctionList</c>, or <c>C_Initialize</c> failed).</summary>
    public const string NotPkcs11Module = "KI6003";

    /// <summary>No token with the slot's label or serial number is present in the module.</summary>
    public const string TokenNotFound = "KI6004";

    /// <summary>The token refused the slot's user PIN (<c>CKR_PIN_INCORRECT</c>). Not retried: retries would lock the PIN.</summary>
    public const string PinIncorrect = "KI6005";

    /// <summary>
    /// The token will not log in with the user PIN whatever it is: it is locked (<c>CKR_PIN_LOCKED</c>), expired, invalid
    /// for the token, or was never set (<c>CKR_USER_PIN_NOT_INITIALIZED</c>).
    /// </summary>
    public const string PinLocked = "KI6006";

    /// <summary>The token went away during an operation (removed, deleted, device error) and did not come back when the pool renewed its sessions.</summary>
    public const string TokenUnavailable = "KI6007";

    /// <summary>The key's object is not in the token any more (deleted outside KeyInfra), or no object matches an adopt request.</summary>
    public const string KeyObjectNotFound = "KI6008";

    /// <summary>More than one private-key object of the token matches the reference or the adopt request.</summary>
    public const string KeyObjectAmbiguous = "KI6009";

    /// <summary>The token's key does not belong to the key row's stored (authenticated) public key: the row's reference was redirected.</summary>
    public const string TokenKeyMismatch = "KI6010";

    /// <summary>The token does not offer a mechanism the key's algorithm needs (key-pair generation or signing).</summary>
    public const string MechanismNotSupported = "KI6011";

    /// <summary>The tenant has no HSM slot (or module) with that name or id.</summary>
    public const string SlotNotFound = "KI6012";

    /// <summary>A PKCS#11 call failed with a return value KeyInfra does not handle specially; the message names it.</summary>
    public const string OperationFailed = "KI6013";

    /// <summary>The stored object reference of a PKCS#11 key is malformed (not written by KeyInfra, or changed outside it).</summary>
    public const string ReferenceInvalid = "KI6014";

    /// <summary>No session of the token's pool became free in time (<see cref="Pkcs11Options.SessionWaitTimeout"/>).</summary>
    public const string SessionPoolExhausted = "KI6015";

    /// <summary>The token object to adopt is not fit to be a KeyInfra key: not of the requested type, not for signing, extractable or not sensitive.</summary>
    public const string KeyObjectUnfit = "KI6016";

    /// <summary>The slot's PIN ciphertext does not decrypt for this slot row and token (moved, swapped or changed outside KeyInfra), or its master key is unavailable.</summary>
    public const string PinDecryptionFailed = "KI6017";

    /// <summary>The module or slot cannot be used: the module is disposed, or a stored row names a module that does not exist.</summary>
    public const string HsmUnavailable = "KI6018";

    /// <summary>The token is already logged in by something in this process other than KeyInfra, so the slot's PIN cannot be checked.</summary>
    public const string PinUnverifiable = "KI6019";
}
