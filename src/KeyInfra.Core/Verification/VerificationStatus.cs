namespace KeyInfra.Verification;

/// <summary>The outcome of a verification: valid, or exactly why not.</summary>
public enum VerificationStatus
{
    /// <summary>The signature is valid for the data under an active key.</summary>
    Valid = 1,

    /// <summary>The signature is well formed but does not match the data and key.</summary>
    InvalidSignature = 2,

    /// <summary>No key with that id exists (in this tenant).</summary>
    KeyNotFound = 3,

    /// <summary>The key was revoked.</summary>
    KeyRevoked = 4,

    /// <summary>The key expired (by date or by hand).</summary>
    KeyExpired = 5,

    /// <summary>The request names an algorithm, hash or mode the key does not use (or a hash for Ed25519, which signs messages).</summary>
    AlgorithmMismatch = 6,

    /// <summary>The signature is not a well-formed encoding for the key (wrong length, non-canonical DER, empty).</summary>
    MalformedSignature = 7,

    /// <summary>
    /// The host's authorizer (<see cref="Authorization.IKeyInfraAuthorizer"/>) denied the caller verification with this key
    /// (or with a key id that does not exist: a denied caller does not learn which keys exist). The signature was not checked.
    /// </summary>
    AccessDenied = 8,

    /// <summary>
    /// The key's stored row failed authentication (its MAC does not match, or it has none on a database whose rows are
    /// all authenticated): the row was changed outside KeyInfra, so the key was not used. An Error event (2120) names
    /// the key. Reported only to a caller allowed to verify with the key id, like <see cref="KeyNotFound"/>.
    /// </summary>
    KeyTampered = 9,

    /// <summary>
    /// The key's curve is disabled (<see cref="Keys.ICurveStore"/>, <see cref="Keys.CurveOptions.Disabled"/>): the signature
    /// was not checked. Stored as <c>curve_disabled</c>.
    /// </summary>
    CurveDisabled = 10,
}
