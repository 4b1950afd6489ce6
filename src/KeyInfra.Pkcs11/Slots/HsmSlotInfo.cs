namespace KeyInfra.Pkcs11.Slots;

/// <summary>A tenant's HSM slot, as <see cref="IHsmManager"/> lists it: never its PIN or the PIN's ciphertext.</summary>
/// <param name="Id">The slot's id (what keys in its token store as their slot).</param>
/// <param name="Name">The slot's name, unique in the tenant (the <c>slot</c> backend option).</param>
/// <param name="ModuleName">The module whose library reaches the token.</param>
/// <param name="TokenLabel">The token's label, or <c>null</c> when it is found by serial.</param>
/// <param name="TokenSerial">The token's serial number, or <c>null</c> when it is found by label.</param>
/// <param name="MasterKeyId">The master key the PIN is encrypted under.</param>
/// <param name="CreatedAt">When the slot was added (UTC).</param>
public sealed record HsmSlotInfo(Guid Id, string Name, string ModuleName, string? TokenLabel, string? TokenSerial, string MasterKeyId, DateTimeOffset CreatedAt);
