using KeyInfra.Errors;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>The exceptions of the HSM repository, so each message is written once. No message holds a PIN or its ciphertext.</summary>
internal static class HsmErrors
{
    public static KeyInfraException ModuleNameTaken(string name)
        => new(ErrorCodes.HsmModuleNameTaken, $"A PKCS#11 module named '{name}' is already stored; nothing was added. Module names are unique: pick another name, or use the stored module.");

    public static KeyInfraException ModuleInUse(Guid moduleId)
        => new(ErrorCodes.HsmModuleInUse, $"PKCS#11 module {moduleId} cannot be removed: HSM slots (of this or another tenant) name it. Remove those slots first; nothing was removed.");

    public static KeyInfraException SlotNameTaken(string name)
        => new(ErrorCodes.HsmSlotNameTaken, $"This tenant already has an HSM slot named '{name}'; nothing was added. Slot names are unique per tenant: pick another name, or use the stored slot.");

    public static KeyInfraException SlotInUse(Guid slotId)
        => new(ErrorCodes.HsmSlotInUse, $"HSM slot {slotId} cannot be removed: private keys held in its token name it. Delete those keys first; nothing was removed.");

    public static KeyInfraException ModuleNotFound(Guid moduleId)
        => new(ErrorCodes.HsmModuleNotFound, $"No PKCS#11 module with id {moduleId} is stored, so the HSM slot was not added. Add the module first.");

    public static KeyInfraException InvalidSlotRow(Guid slotId, string what)
        => new(ErrorCodes.StoredDataInvalid, $"HSM slot {slotId} is stored with {what}, which KeyInfra never writes: the row was changed outside KeyInfra. Nothing was returned; restore the row from a backup or remove the slot.");
}
