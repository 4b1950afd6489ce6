namespace KeyInfra.Pkcs11.Slots;

/// <summary>A slot to add to the current tenant (<see cref="IHsmManager.AddSlotAsync"/>): a token of a module, found by label or serial.</summary>
/// <param name="Name">The slot's name, unique in the tenant; 1 to 200 characters.</param>
/// <param name="ModuleName">The stored module whose library reaches the token.</param>
public sealed record AddHsmSlotRequest(string Name, string ModuleName)
{
    /// <summary>The token's label (at most 32 characters). Set exactly one of this and <see cref="TokenSerial"/>.</summary>
    public string? TokenLabel { get; init; }

    /// <summary>The token's serial number (at most 16 characters). Set exactly one of this and <see cref="TokenLabel"/>.</summary>
    public string? TokenSerial { get; init; }
}
