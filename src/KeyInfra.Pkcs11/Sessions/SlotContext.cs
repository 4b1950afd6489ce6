using KeyInfra.Storage;

namespace KeyInfra.Pkcs11.Sessions;

/// <summary>A tenant's slot as stored, its module, and the session pool of its token.</summary>
internal sealed record SlotContext(HsmSlotRecord Slot, HsmModuleRecord Module, TokenSessionPool Pool);
