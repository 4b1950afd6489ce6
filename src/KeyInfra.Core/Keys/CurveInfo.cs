namespace KeyInfra.Keys;

/// <summary>A curve and whether it may be used, with what disabled it.</summary>
/// <param name="Curve">The curve.</param>
/// <param name="Name">Its name, as <c>KeyInfra:Curves:Disabled</c> and the CLI write it (<c>p-256</c>, <c>secp256k1</c>, …).</param>
/// <param name="Status">Whether it may be used now.</param>
/// <param name="DisabledBy">
/// <c>null</c> when enabled; otherwise <c>configuration</c> (<see cref="CurveOptions.Disabled"/>), <c>database</c>
/// (<see cref="ICurveStore.SetStatusAsync"/>), or why the database's row could not be trusted (it failed its MAC, or it
/// is missing), which disables the curve until an operator sets its status again.
/// </param>
/// <param name="StoredStatus">The status the <c>curves</c> row says, authentic or not; <c>null</c> when the row is missing.</param>
public sealed record CurveInfo(KeyCurve Curve, string Name, CurveStatus Status, string? DisabledBy, CurveStatus? StoredStatus);
