using KeyInfra.Pkcs11.Sessions;
using Net.Pkcs11Interop.HighLevelAPI;

namespace KeyInfra.Pkcs11.Keys;

/// <summary>
/// Where an opened key signs: its slot's pool, and the object handle last found (and verified) for it in the pool's
/// current generation. Object handles are valid in every session of the application, until the token is renewed.
/// </summary>
internal sealed class Pkcs11KeyTarget(SlotContext slot)
{
    private volatile Found? _found;

    public SlotContext Slot => slot;

    /// <summary>The verified handle of <paramref name="generation"/>, or <c>null</c> if it must be found (and verified) again.</summary>
    public IObjectHandle? HandleFor(int generation) => _found is { } found && found.Generation == generation ? found.Handle : null;

    public IObjectHandle Remember(int generation, IObjectHandle handle)
    {
        _found = new Found(generation, handle);
        return handle;
    }

    public void Forget(IObjectHandle handle)
    {
        if (_found is { } found && ReferenceEquals(found.Handle, handle))
        {
            _found = null;
        }
    }

    private sealed record Found(int Generation, IObjectHandle Handle);
}
