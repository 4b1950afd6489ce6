using Net.Pkcs11Interop.HighLevelAPI;

namespace KeyInfra.Pkcs11.Sessions;

/// <summary>
/// A session lent to one operation by <see cref="TokenSessionPool.RunAsync{T}"/>, with the pool's generation: object
/// handles found in an earlier generation (before the token was renewed) must be found again.
/// </summary>
/// <param name="Session">The session; used by this operation alone until it returns.</param>
/// <param name="Generation">The pool's generation when the session was lent.</param>
/// <param name="Slot">The token's slot (for its mechanism list and token information).</param>
/// <param name="Token">How the slot finds its token (to tell whether the slot still holds it).</param>
/// <param name="Factories">Pkcs11Interop's factories for attributes and mechanisms.</param>
internal readonly record struct PooledSession(ISession Session, int Generation, ISlot Slot, TokenSelector Token, Pkcs11InteropFactories Factories);
