using KeyInfra.Encryption.Rotation;

namespace KeyInfra.Pkcs11.Slots;

/// <summary>
/// The PKCS#11 package's step of <c>master-key rewrap</c>: re-wraps every HSM slot PIN's data key under the current
/// master key (<see cref="IHsmManager.RewrapPinsAsync"/>), without decrypting the PIN.
/// </summary>
internal sealed class HsmPinRewrapStep(IHsmManager hsm) : IMasterKeyRewrapStep
{
    /// <summary>The step's name: <c>hsm-pins</c>.</summary>
    public const string StepName = "hsm-pins";

    public string Name => StepName;

    public async Task<MasterKeyRewrapStepResult> RewrapAsync(IProgress<MasterKeyRewrapStepResult>? progress, CancellationToken cancellationToken)
    {
        var pins = await hsm.RewrapPinsAsync(cancellationToken).ConfigureAwait(false);
        return new MasterKeyRewrapStepResult(StepName, pins.Rewrapped + pins.AlreadyCurrent + pins.Failed, pins.Rewrapped, pins.Failed);
    }
}
