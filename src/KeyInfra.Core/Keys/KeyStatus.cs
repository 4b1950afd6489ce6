namespace KeyInfra.Keys;

/// <summary>The lifecycle state of a key.</summary>
public enum KeyStatus
{
    /// <summary>The key signs and verifies.</summary>
    Active = 1,

    /// <summary>The key was revoked; verifications with it fail with <c>KeyRevoked</c>. Final.</summary>
    Revoked = 2,

    /// <summary>The key passed its expiry or was expired by hand; verifications fail with <c>KeyExpired</c>.</summary>
    Expired = 3,
}
