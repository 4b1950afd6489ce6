namespace KeyInfra.Keys;

/// <summary>Whether a curve may be used (<c>curves.status</c>: <c>enabled</c> or <c>disabled</c>).</summary>
public enum CurveStatus
{
    /// <summary>Keys of the curve may be created, imported, used to sign and to verify.</summary>
    Enabled = 1,

    /// <summary>
    /// New keys of the curve are refused (create, import, rotate: KI1108), so is signing with one, and verifying with one
    /// is <see cref="Verification.VerificationStatus.CurveDisabled"/>.
    /// </summary>
    Disabled = 2,
}
