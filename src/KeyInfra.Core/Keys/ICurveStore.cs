namespace KeyInfra.Keys;

/// <summary>
/// The curves KeyInfra knows and whether each may be used. A disabled curve refuses new keys (create, import, rotate)
/// and signatures with KI1108, and verifying with one of its keys is recorded as
/// <see cref="Verification.VerificationStatus.CurveDisabled"/>.
/// </summary>
/// <remarks>
/// <para>Both calls are asked about with <see cref="Authorization.KeyInfraOperation.ManageCurves"/> (<c>manage_curves</c>),
/// and every change is recorded in the control-plane audit log.</para>
/// <para>The status is stored in <c>curves</c> with a MAC under a subkey of the master key: a database writer cannot
/// enable a curve an operator disabled (a row that fails its MAC, or is missing, disables its curve), but can restore the
/// row as an older copy had it (the migration's row says enabled); a curve that must stay disabled against that belongs in
/// <see cref="CurveOptions.Disabled"/>, which no database writer reaches. Other processes see a change within
/// <c>KeyInfra:AccessControl:CacheSeconds</c>. Thread-safe; registered as a singleton.</para>
/// </remarks>
public interface ICurveStore
{
    /// <summary>Every curve and its status, by curve.</summary>
    /// <exception cref="Errors.AccessDeniedException">The caller may not manage curves (KI5001).</exception>
    Task<IReadOnlyList<CurveInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Enables or disables a curve in the database (a curve disabled in configuration stays disabled).</summary>
    /// <exception cref="Errors.AccessDeniedException">The caller may not manage curves (KI5001).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The curve or status is not defined (RSA has no curve).</exception>
    /// <exception cref="Errors.KeyInfraException">No master key source is registered (KI2001), or other writers changed the curve on every attempt (KI5108).</exception>
    Task<CurveInfo> SetStatusAsync(KeyCurve curve, CurveStatus status, CancellationToken cancellationToken = default);
}
