namespace KeyInfra.Pkcs11.Slots;

/// <summary>What <see cref="IHsmManager.RewrapPinsAsync"/> did, over every tenant's slots.</summary>
/// <param name="Rewrapped">PINs now wrapped by the current master key that were not before.</param>
/// <param name="AlreadyCurrent">PINs that were under the current master key already.</param>
/// <param name="Failed">PINs left as they were: their ciphertext did not open (KI2101/KI2102), or a concurrent change won; the log names each.</param>
public sealed record HsmPinRewrapSummary(int Rewrapped, int AlreadyCurrent, int Failed);
