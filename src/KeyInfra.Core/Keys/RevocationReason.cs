namespace KeyInfra.Keys;

/// <summary>Why a key was revoked (the reasons of RFC 5280, section 5.3.1, that apply to bare keys).</summary>
public enum RevocationReason
{
    /// <summary>No reason given.</summary>
    Unspecified = 0,

    /// <summary>The private key is known or suspected to be compromised.</summary>
    KeyCompromise = 1,

    /// <summary>The key was replaced by a newer one (for example by rotation).</summary>
    Superseded = 4,

    /// <summary>The key is no longer needed for its purpose.</summary>
    CessationOfOperation = 5,

    /// <summary>The owner's affiliation changed.</summary>
    AffiliationChanged = 3,

    /// <summary>The owner's privilege to use the key was withdrawn.</summary>
    PrivilegeWithdrawn = 9,
}
