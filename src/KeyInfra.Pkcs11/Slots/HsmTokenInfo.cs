namespace KeyInfra.Pkcs11.Slots;

/// <summary>What a slot test (<see cref="IHsmManager.TestSlotAsync"/>) found: the token, and whether the pool is logged in to it.</summary>
/// <param name="Label">The token's label.</param>
/// <param name="SerialNumber">The token's serial number.</param>
/// <param name="Manufacturer">The token's manufacturer.</param>
/// <param name="Model">The token's model.</param>
/// <param name="LoggedIn">Whether the slot's session is logged in as the user.</param>
public sealed record HsmTokenInfo(string Label, string SerialNumber, string Manufacturer, string Model, bool LoggedIn);
